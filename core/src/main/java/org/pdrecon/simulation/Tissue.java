package org.pdrecon.simulation;

/**
 * Linear attenuation coefficients μ (1/mm) of body materials at an effective energy of 70 keV, a kV CBCT
 * beam's: mass attenuation coefficients of NIST's XCOM tables for ICRU-44 compositions (log-log
 * interpolated between 60 and 80 keV), times the stated density. Water is 0.0194/mm here; an MV/EPID beam
 * (≈ 2 MeV effective) would have water ≈ 0.0049/mm, and bone's contrast to water is far smaller there.
 */
public enum Tissue {
    AIR(0.0),
    LUNG(0.0050),          // inflated lung, ρ 0.26 g/cm³
    FAT(0.0176),           // adipose, ρ 0.95
    WATER(0.0194),         // also urine, CSF, bowel content
    SOFT(0.0203),          // muscle and soft tissue, ρ 1.05
    BLOOD(0.0205),         // blood, heart, liver, ρ 1.06
    TRABECULAR(0.0245),    // spongy bone with marrow, ρ 1.18
    CORTICAL(0.0503);      // cortical bone, ρ 1.92

    private final double mu;

    Tissue(double muPerMm) {
        this.mu = muPerMm;
    }

    /** μ in 1/mm at 70 keV. */
    public double mu() {
        return mu;
    }

    /** The additive Δμ that turns {@code inside} (the material around) into this one. */
    public double over(Tissue inside) {
        return mu - inside.mu;
    }
}

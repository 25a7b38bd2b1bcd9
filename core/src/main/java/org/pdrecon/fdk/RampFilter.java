package org.pdrecon.fdk;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Filters detector rows with a band-limited ramp times an apodisation {@link FilterWindow}.
 *
 * <p>The ramp is built from its band-limited spatial kernel (Kak &amp; Slaney, eq. 3.61): for detector
 * sampling interval τ, {@code h(0) = 1/(4τ²)}, {@code h(n) = −1/(n²π²τ²)} for odd n and 0 for even
 * n ≠ 0. Its discrete Fourier transform is taken (so the DC term is the small positive value the
 * finite kernel really has, not the zero of a sampled |ω|, which would shift the reconstruction's
 * mean) and multiplied by the window. Each row is zero-padded to a power of two ≥ 2·cols so the
 * circular FFT convolution equals the linear one (no wrap-around), and the result is multiplied by τ
 * so that it approximates the continuous convolution {@code ∫ p(u') h(u − u') du'}.
 *
 * <p>Spectra are built once per padded size (and cached); rows are filtered in parallel, each worker
 * with its own FFT plan and buffer. Thread-safe.
 */
public final class RampFilter {
    private final FilterWindow window;
    private final double cutoff;
    private final Map<Integer, double[]> spectra = new ConcurrentHashMap<>();
    private final Map<Integer, ThreadLocal<Work>> work = new ConcurrentHashMap<>();

    /**
     * @param window apodisation window
     * @param cutoff cut-off frequency as a fraction of Nyquist, in (0, 1]
     */
    public RampFilter(FilterWindow window, double cutoff) {
        if (window == null) throw new IllegalArgumentException("filter window is missing");
        if (!(cutoff > 0 && cutoff <= 1)) {
            throw new IllegalArgumentException("cutoff must be in (0, 1] (fraction of Nyquist), got " + cutoff);
        }
        this.window = window;
        this.cutoff = cutoff;
    }

    public FilterWindow window() { return window; }
    public double cutoff() { return cutoff; }

    /** The zero-padded FFT length used for rows of {@code cols} samples: the smallest power of two ≥ 2·cols. */
    public static int paddedLength(int cols) {
        if (cols <= 0) throw new IllegalArgumentException("cols must be positive, got " + cols);
        int n = Integer.highestOneBit(2 * cols);
        return n < 2 * cols ? 2 * n : n;
    }

    /**
     * Filters {@code rows} consecutive rows of {@code cols} samples in place.
     *
     * @param data {@code [rows][cols]} row-major, modified in place
     * @param tauMm sampling interval τ along the row in mm (the unit of the result is 1/mm times the input's)
     */
    public void filterRows(float[] data, int rows, int cols, double tauMm) {
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException("data has " + data.length + " values, " + rows + "×" + cols + " needs " + (long) rows * cols);
        }
        if (!(tauMm > 0) || !Double.isFinite(tauMm)) throw new IllegalArgumentException("tauMm must be positive, got " + tauMm);
        int n = paddedLength(cols);
        double[] spectrum = spectrum(n);
        ThreadLocal<Work> local = work.computeIfAbsent(n, k -> ThreadLocal.withInitial(() -> new Work(k)));
        // Spectrum is for τ = 1; τ·h_τ(n) = h_1(n)/τ.
        double scale = 1.0 / tauMm;
        IntStream.range(0, rows).parallel().forEach(r -> {
            Work w = local.get();
            double[] buf = w.buf;
            int off = r * cols;
            for (int i = 0; i < cols; i++) buf[i] = data[off + i];
            java.util.Arrays.fill(buf, cols, n, 0);
            w.fft.realForward(buf);
            // realForward layout: buf[0] = Re(0), buf[1] = Re(n/2), buf[2k], buf[2k+1] = Re, Im of bin k.
            buf[0] *= spectrum[0];
            buf[1] *= spectrum[n / 2];
            for (int k = 1; k < n / 2; k++) {
                buf[2 * k] *= spectrum[k];
                buf[2 * k + 1] *= spectrum[k];
            }
            w.fft.realInverse(buf, true);
            for (int i = 0; i < cols; i++) data[off + i] = (float) (buf[i] * scale);
        });
    }

    /**
     * The filter's real spectrum for padded length {@code n} and τ = 1: bins 0..n/2, where bin k is
     * frequency {@code k/n} cycles per sample ({@code 2k/n} of Nyquist). Shared; do not modify.
     */
    double[] spectrum(int n) {
        return spectra.computeIfAbsent(n, this::buildSpectrum);
    }

    private double[] buildSpectrum(int n) {
        double[] kernel = new double[n];
        kernel[0] = 0.25;
        for (int k = 1; k < n / 2; k += 2) {
            double h = -1.0 / (k * (double) k * Math.PI * Math.PI);
            kernel[k] = h;
            kernel[n - k] = h;
        }
        new DoubleFFT_1D(n).realForward(kernel);
        double[] s = new double[n / 2 + 1];
        s[0] = kernel[0];
        s[n / 2] = kernel[1];
        for (int k = 1; k < n / 2; k++) s[k] = kernel[2 * k]; // imaginary part is 0: the kernel is even
        for (int k = 0; k <= n / 2; k++) s[k] *= window.gain(2.0 * k / n, cutoff);
        return s;
    }

    private static final class Work {
        final DoubleFFT_1D fft;
        final double[] buf;

        Work(int n) {
            fft = new DoubleFFT_1D(n);
            buf = new double[n];
        }
    }

    @Override
    public String toString() {
        return "RampFilter[" + window.cliName() + ", cutoff " + cutoff + "]";
    }
}

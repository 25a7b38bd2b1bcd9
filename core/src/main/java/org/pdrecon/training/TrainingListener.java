package org.pdrecon.training;

/** Receives progress from a {@link PrimalDualTrainer} on the training thread (keep it cheap). */
public interface TrainingListener {
    /** Called when training starts or resumes, before the first step of this process. */
    default void onStart(long stepsDone, long totalSteps) {}

    /** Called after every optimiser step. */
    default void onStep(StepStats stats) {}

    /**
     * Called after a validation: mean PSNR (dB) and SSIM of the network after {@code step} steps and of
     * the initialiser {@code x0} on the same held-out samples.
     */
    default void onValidation(long step, double psnrDb, double ssim, double initialPsnrDb, double initialSsim) {}

    /** Called after a checkpoint covering {@code stepsDone} steps was written. */
    default void onCheckpoint(long stepsDone) {}
}

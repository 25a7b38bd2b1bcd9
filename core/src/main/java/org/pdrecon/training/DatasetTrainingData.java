package org.pdrecon.training;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.io.Dataset;
import org.pdrecon.learned.Initialisers;
import org.pdrecon.learned.ModelGeometry;
import org.pdrecon.operators.NDArrayOperator;

/**
 * Training examples from a dataset on disk ({@link Dataset}: {@code pdrecon simulate} writes them).
 * The last {@code validationSamples} samples (in manifest order) are held out for validation; the
 * others are visited epoch by epoch, each epoch in its own seeded random order (Fisher–Yates with
 * {@code SplittableRandom(mix(seed, epoch))}), so training sample {@code i} is a pure function of
 * {@code i}. The projections are used as stored (already noisy if the dataset was simulated with noise);
 * {@code x0} comes from the configured initialiser. Files are read at each use (nothing is cached).
 */
public final class DatasetTrainingData implements TrainingData {
    private final Dataset dataset;
    private final List<String> train, held;
    private final long seed;
    private final String initialiser;
    private final NDArrayOperator cpuOperator;

    public DatasetTrainingData(Path dir, int validationSamples, String initialiser, long seed) throws IOException {
        this.dataset = Dataset.open(dir);
        if (!dataset.isComplete()) throw new IllegalArgumentException("dataset " + dir + " is incomplete (its writer was interrupted)");
        int n = dataset.size();
        if (validationSamples < 0 || n - validationSamples < 1) {
            throw new IllegalArgumentException("dataset " + dir + " has " + n + " samples: too few to hold out "
                    + validationSamples + " for validation and train on the rest");
        }
        this.train = dataset.sampleIds().subList(0, n - validationSamples);
        this.held = dataset.sampleIds().subList(n - validationSamples, n);
        this.seed = seed;
        this.initialiser = initialiser;
        this.cpuOperator = ModelGeometry.cpuOperator(dataset.geometry());
    }

    @Override
    public ConeBeamGeometry geometry() {
        return dataset.geometry();
    }

    /** The id of training sample {@code index}: position {@code index mod n} in epoch {@code index / n}'s order. */
    public String trainingId(long index) {
        if (index < 0) throw new IllegalArgumentException("sample index must be non-negative, got " + index);
        int n = train.size();
        long epoch = index / n;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom rng = new SplittableRandom(SimulatedTrainingData.mix(seed, epoch));
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return train.get(order[(int) (index % n)]);
    }

    @Override
    public TrainingSample sample(long index) {
        return read(trainingId(index));
    }

    @Override
    public TrainingSample validationSample(int i) {
        if (i < 0 || i >= held.size()) throw new IllegalArgumentException("validation sample " + i + " of " + held.size());
        return read(held.get(i));
    }

    private TrainingSample read(String id) {
        try {
            float[] y = dataset.readProjections(id).data();
            float[] x0;
            try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                x0 = Initialisers.initialise(initialiser, dataset.geometry(), cpuOperator, m, y);
            }
            return new TrainingSample(y, x0, dataset.readVolume(id).data());
        } catch (IOException e) {
            throw new UncheckedIOException("reading sample " + id + " of dataset " + dataset.dir() + ": " + e.getMessage(), e);
        }
    }
}

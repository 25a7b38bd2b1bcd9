package org.pdrecon.operators;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;

/**
 * The cone-beam projector pair {@code A} / {@code Aᵀ} of {@link ConeBeamProjector} (Joseph's method as
 * specified in docs/operators.md: one bilinear sample per voxel plane along the ray's driving axis),
 * computed with DJL NDArray operations on the input array's device: the path for GPUs, and on CPU a
 * cross-check of the Java kernels.
 *
 * <p>Per sample (ray × plane × bilinear corner) the projector needs a flat voxel index and a weight
 * (bilinear weight × ray length per plane). Java derives 13 numbers per ray in double precision (source
 * and direction in voxel-index coordinates ordered driving axis first, the ray length per plane, axis
 * sizes and strides); from them the samples are computed either in Java and uploaded
 * ({@link SampleSource#HOST}: cheapest on CPU, where the upload costs nothing) or with float64 NDArray
 * operations on the device ({@link SampleSource#DEVICE}: for GPUs, nothing per sample crosses the bus).
 * Both use the same operations in the same order. {@code A} gathers the volume at the indices
 * ({@code take}), multiplies by the weights and sums per ray. {@code Aᵀ} scatters {@code y[ray]·weight}
 * into the same indices by building a sparse COO tensor and densifying it, which sums duplicate indices
 * (deterministic on CPU: measured bit-identical over repeated runs).
 *
 * <p>Rays are processed in chunks (in view-major order, so a chunk is a run of whole or partial views)
 * of at most {@code maxChunkEntries = rays × planes × 4} samples, which bounds temporary memory at
 * roughly {@code 60 bytes × maxChunkEntries}. Nothing is recorded by autograd: the work runs with grad
 * mode off, and each chunk's temporaries are freed by an {@link NDScope}. Computing the samples costs
 * several times more than using them, so a projector reused with one geometry (training) should be
 * given a cache budget: the samples are then computed once and kept on the device until
 * {@link #close()}.
 *
 * <p>Shapes: {@link #apply} maps {@code (..., nz, ny, nx) → (..., views, rows, cols)}; the adjoint maps
 * back. Leading dimensions (batch, channels) are processed one slice after another. Data types float32
 * and float64; the result has the input's type, device and manager.
 */
public final class NDArrayConeBeamProjector implements NDArrayOperator, AutoCloseable {
    /** Default samples per chunk (rays × planes × 4): about 250 MB of temporaries. */
    public static final int DEFAULT_CHUNK_ENTRIES = 1 << 22;

    // Columns of the per-ray parameter table.
    private static final int S_M = 0, S_1 = 1, S_2 = 2, E_M = 3, E_1 = 4, E_2 = 5, LEN = 6;
    private static final int N_M = 7, N_1 = 8, N_2 = 9, ST_M = 10, ST_1 = 11, ST_2 = 12, PARAMS = 13;

    private final ConeBeamGeometry geometry;
    private final int planes;
    private final int raysPerChunk;
    private final int rays;
    private final Backprojection adjoint = new Backprojection();
    private final long cacheBytes;
    private final Map<DataType, NDArray[][]> cache = new EnumMap<>(DataType.class); // per chunk: {indices, weights}
    private NDManager cacheManager;

    private final SampleSource sampleSource;

    /** Where the per-sample indices and weights are computed. */
    public enum SampleSource {
        /** In Java (double precision) and uploaded: fastest on CPU, where the upload is free. */
        HOST,
        /** With NDArray operations (float64) on the array's device: no upload, for GPUs. */
        DEVICE,
        /** {@link #HOST} for CPU arrays, {@link #DEVICE} otherwise. */
        AUTO
    }

    /** A projector with the default chunk size, no sample cache, samples from {@link SampleSource#AUTO}. */
    public NDArrayConeBeamProjector(ConeBeamGeometry geometry) {
        this(builder(geometry));
    }

    /** As {@link #NDArrayConeBeamProjector(ConeBeamGeometry)} with another chunk bound. */
    public NDArrayConeBeamProjector(ConeBeamGeometry geometry, int maxChunkEntries) {
        this(builder(geometry).optMaxChunkEntries(maxChunkEntries));
    }

    private NDArrayConeBeamProjector(Builder b) {
        this.geometry = b.geometry;
        int maxChunkEntries = b.maxChunkEntries;
        this.cacheBytes = b.cacheBytes;
        this.sampleSource = b.sampleSource;
        VolumeGrid g = geometry.volume();
        this.planes = Math.max(g.nx(), Math.max(g.ny(), g.nz()));
        this.rays = Math.multiplyExact(geometry.views(), Math.multiplyExact(geometry.detectorRows(), geometry.detectorCols()));
        this.raysPerChunk = Math.max(1, maxChunkEntries / (4 * planes));
    }

    /** Starts a builder; {@code geometry} is required, everything else optional. */
    public static Builder builder(ConeBeamGeometry geometry) {
        return new Builder(geometry);
    }

    /** Builder: {@code opt*} options, validated as they are set. */
    public static final class Builder {
        private final ConeBeamGeometry geometry;
        private int maxChunkEntries = DEFAULT_CHUNK_ENTRIES;
        private long cacheBytes;
        private SampleSource sampleSource = SampleSource.AUTO;

        private Builder(ConeBeamGeometry geometry) {
            this.geometry = Objects.requireNonNull(geometry, "geometry");
        }

        /** Upper bound on rays × planes × 4 samples per chunk (at least one ray per chunk). */
        public Builder optMaxChunkEntries(int entries) {
            if (entries <= 0) throw new IllegalArgumentException("maxChunkEntries must be positive, got " + entries);
            this.maxChunkEntries = entries;
            return this;
        }

        /**
         * If the samples of all chunks fit in this many bytes (12 per sample for float32 data, 16 for
         * float64), compute them once per data type and keep them on the device until {@link #close()};
         * otherwise (and with the default 0) recompute them per chunk on every call.
         */
        public Builder optCacheBytes(long bytes) {
            if (bytes < 0) throw new IllegalArgumentException("cacheBytes must not be negative, got " + bytes);
            this.cacheBytes = bytes;
            return this;
        }

        public Builder optSampleSource(SampleSource source) {
            this.sampleSource = Objects.requireNonNull(source, "source");
            return this;
        }

        public NDArrayConeBeamProjector build() {
            return new NDArrayConeBeamProjector(this);
        }
    }

    public ConeBeamGeometry geometry() { return geometry; }

    @Override
    public int[] domainShape() { return geometry.volume().shape(); }

    @Override
    public int[] rangeShape() { return new int[] {geometry.views(), geometry.detectorRows(), geometry.detectorCols()}; }

    /** Forward projection {@code (..., nz, ny, nx) → (..., views, rows, cols)}. */
    @Override
    public NDArray apply(NDArray volume) {
        return run(volume, domainShape(), rangeShape(), true);
    }

    /** The matched backprojection {@code Aᵀ}. */
    @Override
    public NDArrayOperator adjoint() { return adjoint; }

    private final class Backprojection implements NDArrayOperator {
        @Override public int[] domainShape() { return NDArrayConeBeamProjector.this.rangeShape(); }
        @Override public int[] rangeShape() { return NDArrayConeBeamProjector.this.domainShape(); }
        @Override public NDArray apply(NDArray projections) { return run(projections, domainShape(), rangeShape(), false); }
        @Override public NDArrayOperator adjoint() { return NDArrayConeBeamProjector.this; }
    }

    private NDArray run(NDArray in, int[] inShape, int[] outShape, boolean forward) {
        Shape shape = in.getShape();
        int lead = shape.dimension() - inShape.length;
        long[] trailing = lead >= 0 ? shape.slice(lead).getShape() : new long[0];
        if (lead < 0 || !Arrays.equals(trailing, Arrays.stream(inShape).asLongStream().toArray())) {
            throw new IllegalArgumentException((forward ? "volume" : "projections") + " has shape " + shape
                    + ", expected (..., " + Arrays.toString(inShape).replaceAll("[\\[\\]]", "") + ")");
        }
        DataType type = in.getDataType();
        if (type != DataType.FLOAT32 && type != DataType.FLOAT64) {
            throw new IllegalArgumentException("the projector needs float32 or float64 data, got " + type);
        }
        int batch = Math.toIntExact(shape.slice(0, lead).size());
        int inSize = Math.toIntExact(new Shape(trailing).size());
        int outSize = Arrays.stream(outShape).reduce(1, Math::multiplyExact);
        long[] resultShape = new long[lead + outShape.length];
        System.arraycopy(shape.getShape(), 0, resultShape, 0, lead);
        for (int i = 0; i < outShape.length; i++) resultShape[lead + i] = outShape[i];

        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false); // an operator is a cut point: never part of the autograd graph
        NDArray result;
        try (NDScope scope = new NDScope()) {
            NDManager manager = in.getManager();
            NDArray flat = in.reshape(batch, inSize);
            result = forward ? project(manager, flat, batch) : backproject(manager, flat, batch, outSize);
            result = result.reshape(new Shape(resultShape));
            NDScope.unregister(result);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        NDScope.register(result); // hand the survivor to the caller's scope, if any
        return result;
    }

    private NDArray project(NDManager manager, NDArray volumes, int batch) {
        NDList chunks = new NDList();
        for (int r0 = 0; r0 < rays; r0 += raysPerChunk) {
            int count = Math.min(raysPerChunk, rays - r0);
            try (NDScope chunkScope = new NDScope()) {
                NDArray[] sw = chunkSamples(manager, r0 / raysPerChunk, volumes.getDataType());
                NDList perBatch = new NDList(batch);
                for (int b = 0; b < batch; b++) {
                    try (NDScope sliceScope = new NDScope()) { // one slice's [rays, planes, 4] temporaries at a time
                        NDArray sums = volumes.get(b).take(sw[0]).mul(sw[1]).sum(new int[] {1, 2});
                        NDScope.unregister(sums);
                        perBatch.add(sums);
                    }
                    NDScope.register(perBatch.get(b));
                }
                NDArray chunk = NDArrays.stack(perBatch, 0); // [batch, count]
                NDScope.unregister(chunk);
                chunks.add(chunk);
            }
            NDScope.register(chunks.get(chunks.size() - 1)); // freed with the caller's (run's) scope
        }
        return chunks.size() == 1 ? chunks.get(0) : NDArrays.concat(chunks, 1);
    }

    private NDArray backproject(NDManager manager, NDArray projections, int batch, int voxels) {
        NDList sums = new NDList(batch);
        for (int b = 0; b < batch; b++) sums.add(manager.zeros(new Shape(voxels), projections.getDataType()));
        for (int r0 = 0; r0 < rays; r0 += raysPerChunk) {
            int count = Math.min(raysPerChunk, rays - r0);
            try (NDScope chunkScope = new NDScope()) {
                NDArray[] sw = chunkSamples(manager, r0 / raysPerChunk, projections.getDataType());
                NDArray indices = sw[0].reshape(1, -1);
                for (int b = 0; b < batch; b++) {
                    try (NDScope sliceScope = new NDScope()) { // one slice's temporaries at a time
                        NDArray y = projections.get(b).get(r0 + ":" + (r0 + count)).reshape(count, 1, 1);
                        NDArray values = y.mul(sw[1]).reshape(-1);
                        // A COO tensor with repeated indices sums them when densified: the scatter-add Aᵀ needs.
                        NDArray dense = JniUtils.createSparseCoo((PtNDArray) indices, (PtNDArray) values, new Shape(voxels)).toDense();
                        sums.get(b).addi(dense); // chunks in a fixed order: deterministic sums
                    }
                }
            }
        }
        return NDArrays.stack(sums, 0);
    }

    /** The samples of chunk {@code c}: from the cache when it is enabled and fits, else computed now in the current scope. */
    private NDArray[] chunkSamples(NDManager manager, int c, DataType type) {
        int r0 = c * raysPerChunk, count = Math.min(raysPerChunk, rays - r0);
        long bytes = (long) rays * planes * 4 * (8 + type.getNumOfBytes());
        if (bytes > cacheBytes) return samples(manager, r0, count, type);
        synchronized (cache) {
            if (cacheManager == null) cacheManager = NDManager.newBaseManager(manager.getDevice());
            if (!cacheManager.getDevice().equals(manager.getDevice())) return samples(manager, r0, count, type);
            NDArray[][] chunks = cache.computeIfAbsent(type, t -> new NDArray[(rays + raysPerChunk - 1) / raysPerChunk][]);
            if (chunks[c] == null) {
                try (NDScope scope = new NDScope()) {
                    chunks[c] = samples(cacheManager, r0, count, type);
                    NDScope.unregister(chunks[c]);
                }
            }
            return chunks[c];
        }
    }

    /** Frees the sample cache (if any); the projector stays usable and refills it on demand. */
    @Override
    public void close() {
        synchronized (cache) {
            cache.clear();
            if (cacheManager != null) cacheManager.close();
            cacheManager = null;
        }
    }

    /**
     * Sample indices (int64, flat {@code [z][y][x]}) and weights ({@code type}, including the ray
     * length per plane) for rays {@code r0 … r0 + count − 1}, both of shape {@code [count, planes, 4]}.
     * Samples outside the grid or behind the source have weight 0 and index 0.
     */
    private NDArray[] samples(NDManager manager, int r0, int count, DataType type) {
        boolean host = sampleSource == SampleSource.HOST
                || (sampleSource == SampleSource.AUTO && Device.Type.CPU.equals(manager.getDevice().getDeviceType()));
        return host ? hostSamples(manager, r0, count, type) : deviceSamples(manager, r0, count, type);
    }

    /** {@link #samples} computed in Java, with the same operations in the same order as on the device. */
    private NDArray[] hostSamples(NDManager manager, int r0, int count, DataType type) {
        double[] p = rayParameters(r0, count);
        int n = count * planes * 4;
        long[] index = new long[n];
        double[] weight = new double[n];
        for (int i = 0; i < count; i++) {
            int o = i * PARAMS;
            int nm = (int) p[o + N_M], n1 = (int) p[o + N_1], n2 = (int) p[o + N_2];
            for (int k = 0; k < nm; k++) {
                double t = (k - p[o + S_M]) / p[o + E_M];
                if (!(t > 0)) continue;
                double pa = p[o + S_1] + t * p[o + E_1], qa = p[o + S_2] + t * p[o + E_2];
                double p0 = Math.floor(pa), q0 = Math.floor(qa);
                double fp = pa - p0, fq = qa - q0;
                int e = (i * planes + k) * 4;
                for (int dq = 0; dq <= 1; dq++) {
                    for (int dp = 0; dp <= 1; dp++, e++) {
                        double pi = p0 + dp, qi = q0 + dq;
                        if (pi < 0 || pi >= n1 || qi < 0 || qi >= n2) continue;
                        double wp = dp == 0 ? -fp + 1 : fp, wq = dq == 0 ? -fq + 1 : fq;
                        weight[e] = wp * wq * p[o + LEN];
                        index[e] = (long) (k * p[o + ST_M] + pi * p[o + ST_1] + qi * p[o + ST_2]);
                    }
                }
            }
        }
        Shape shape = new Shape(count, planes, 4);
        NDArray idx = manager.create(index, shape);
        NDArray w;
        if (type == DataType.FLOAT64) {
            w = manager.create(weight, shape);
        } else {
            float[] w32 = new float[n];
            for (int i = 0; i < n; i++) w32[i] = (float) weight[i];
            w = manager.create(w32, shape);
        }
        return new NDArray[] {idx, w};
    }

    /** {@link #samples} computed with NDArray operations on the manager's device. */
    private NDArray[] deviceSamples(NDManager manager, int r0, int count, DataType type) {
        NDArray p = manager.create(rayParameters(r0, count), new Shape(count, PARAMS));
        NDArray k = manager.arange(0, planes, 1, DataType.FLOAT64).reshape(1, planes);
        NDArray t = k.sub(col(p, S_M)).div(col(p, E_M)); // ray parameter at plane k, [count, planes]
        NDArray valid = k.lt(col(p, N_M)).logicalAnd(t.gt(0)).toType(DataType.FLOAT64, false);
        NDArray pa = col(p, S_1).add(t.mul(col(p, E_1)));
        NDArray qa = col(p, S_2).add(t.mul(col(p, E_2)));
        NDArray p0 = pa.floor(), q0 = qa.floor();
        NDArray fp = pa.sub(p0), fq = qa.sub(q0);
        NDArray base = k.mul(col(p, ST_M));
        NDArray lengthIfValid = valid.mul(col(p, LEN));
        NDArray n1 = col(p, N_1), n2 = col(p, N_2), st1 = col(p, ST_1), st2 = col(p, ST_2);
        NDList index = new NDList(4), weight = new NDList(4);
        for (int dq = 0; dq <= 1; dq++) {
            for (int dp = 0; dp <= 1; dp++) {
                NDArray pi = dp == 0 ? p0 : p0.add(1);
                NDArray qi = dq == 0 ? q0 : q0.add(1);
                NDArray inside = pi.gte(0).logicalAnd(pi.lt(n1)).logicalAnd(qi.gte(0)).logicalAnd(qi.lt(n2))
                        .toType(DataType.FLOAT64, false);
                NDArray wp = dp == 0 ? fp.neg().add(1) : fp;
                NDArray wq = dq == 0 ? fq.neg().add(1) : fq;
                weight.add(wp.mul(wq).mul(inside).mul(lengthIfValid));
                // Index arithmetic in float64 is exact below 2^53; masked samples point at voxel 0.
                index.add(base.add(pi.mul(st1)).add(qi.mul(st2)).mul(inside).mul(valid));
            }
        }
        NDArray idx = NDArrays.stack(index, 2).toType(DataType.INT64, false);
        NDArray w = NDArrays.stack(weight, 2).toType(type, false);
        return new NDArray[] {idx, w};
    }

    private static NDArray col(NDArray params, int column) {
        return params.get(":, " + column).reshape(-1, 1);
    }

    /**
     * Per-ray parameters, {@code [count][13]} row-major, for rays in view-major order. Coordinates are
     * continuous voxel indices (voxel centres at integers); axes are ordered driving axis first.
     */
    double[] rayParameters(int r0, int count) {
        VolumeGrid g = geometry.volume();
        double[] lo = g.minCornerMm();
        double[] spacing = {g.dxMm(), g.dyMm(), g.dzMm()};
        int[] size = {g.nx(), g.ny(), g.nz()};
        long[] stride = {1, g.nx(), (long) g.nx() * g.ny()};
        int rowsN = geometry.detectorRows(), colsN = geometry.detectorCols();
        double[] src = geometry.sourceArray(), det = geometry.detectorArray(), u = geometry.uArray(), v = geometry.vArray();
        double[] out = new double[count * PARAMS];
        double[] s = new double[3], e = new double[3];
        for (int i = 0; i < count; i++) {
            int ray = r0 + i;
            int view = ray / (rowsN * colsN), pixel = ray % (rowsN * colsN);
            int row = pixel / colsN, colI = pixel % colsN;
            double a = colI + 0.5 - colsN / 2.0, b = row + 0.5 - rowsN / 2.0;
            double len2 = 0;
            for (int ax = 0; ax < 3; ax++) {
                double sw = src[3 * view + ax];
                double pw = det[3 * view + ax] + a * u[3 * view + ax] + b * v[3 * view + ax];
                double d = pw - sw;
                len2 += d * d;
                s[ax] = (sw - lo[ax]) / spacing[ax] - 0.5;
                e[ax] = d / spacing[ax];
            }
            int m = 0; // driving axis: largest |d_a| / spacing_a, ties x before y before z
            for (int ax = 1; ax < 3; ax++) if (Math.abs(e[ax]) > Math.abs(e[m])) m = ax;
            int a1 = m == 0 ? 1 : 0, a2 = m == 2 ? 1 : 2;
            int o = i * PARAMS;
            out[o + S_M] = s[m];
            out[o + S_1] = s[a1];
            out[o + S_2] = s[a2];
            out[o + E_M] = e[m];
            out[o + E_1] = e[a1];
            out[o + E_2] = e[a2];
            out[o + LEN] = spacing[m] * Math.sqrt(len2) / Math.abs(e[m] * spacing[m]);
            out[o + N_M] = size[m];
            out[o + N_1] = size[a1];
            out[o + N_2] = size[a2];
            out[o + ST_M] = stride[m];
            out[o + ST_1] = stride[a1];
            out[o + ST_2] = stride[a2];
        }
        return out;
    }

    @Override
    public String toString() {
        return "NDArrayConeBeamProjector[" + geometry + ", " + raysPerChunk + " rays per chunk]";
    }
}

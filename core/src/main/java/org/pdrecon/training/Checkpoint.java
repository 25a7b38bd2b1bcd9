package org.pdrecon.training;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.pdrecon.util.AtomicFiles;

/**
 * Everything a run needs to continue exactly where it stopped: the parameters, Adam's moments and step
 * count, the number of finished steps and the next sample index (the data position), and the run's
 * identity (its config without output directory and checkpoint interval) so that a resume with a changed
 * config is refused.
 *
 * <p>File format ({@code checkpoint.bin}, big-endian): magic {@code "PDRCKPT"}, format version byte 1,
 * identity JSON (int length + UTF-8), {@code long stepsDone}, {@code long nextSample},
 * {@code long adamStep}, {@code int parameterCount}, then per parameter: UTF name, {@code int n},
 * {@code n} floats of values, of first moments, of second moments; finally the CRC-32 of all preceding
 * bytes as a {@code long}. Written atomically (temporary file, fsync, rename), so a kill at any moment
 * leaves the previous checkpoint intact.
 *
 * @param identity the config identity JSON text
 * @param names parameter names, in the model's order
 */
public record Checkpoint(String identity, long stepsDone, long nextSample, String[] names, float[][] values, Adam.State adam) {
    private static final byte[] MAGIC = "PDRCKPT".getBytes(StandardCharsets.US_ASCII);
    private static final byte VERSION = 1;

    public void write(Path file) throws IOException {
        AtomicFiles.write(file, raw -> {
            CheckedOutputStream checked = new CheckedOutputStream(raw, new CRC32());
            DataOutputStream out = new DataOutputStream(checked);
            out.write(MAGIC);
            out.writeByte(VERSION);
            byte[] id = identity.getBytes(StandardCharsets.UTF_8);
            out.writeInt(id.length);
            out.write(id);
            out.writeLong(stepsDone);
            out.writeLong(nextSample);
            out.writeLong(adam.step());
            out.writeInt(names.length);
            for (int i = 0; i < names.length; i++) {
                out.writeUTF(names[i]);
                out.writeInt(values[i].length);
                writeFloats(out, values[i]);
                writeFloats(out, adam.m()[i]);
                writeFloats(out, adam.v()[i]);
            }
            out.flush();
            new DataOutputStream(raw).writeLong(checked.getChecksum().getValue());
        });
    }

    public static Checkpoint read(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            CheckedInputStream checked = new CheckedInputStream(raw, new CRC32());
            DataInputStream in = new DataInputStream(checked);
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!java.util.Arrays.equals(magic, MAGIC)) throw new IOException(file + " is not a pdrecon checkpoint");
            byte version = in.readByte();
            if (version != VERSION) throw new IOException(file + " has checkpoint format " + version + ", this build reads " + VERSION);
            int idLength = in.readInt();
            if (idLength < 0 || idLength > (1 << 24)) throw new IOException(file + " is corrupt (identity length " + idLength + ")");
            String identity = new String(in.readNBytes(idLength), StandardCharsets.UTF_8);
            long steps = in.readLong(), next = in.readLong(), adamStep = in.readLong();
            int count = in.readInt();
            if (count < 0 || count > 1_000_000) throw new IOException(file + " is corrupt (parameter count " + count + ")");
            String[] names = new String[count];
            float[][] values = new float[count][], m = new float[count][], v = new float[count][];
            for (int i = 0; i < count; i++) {
                names[i] = in.readUTF();
                int n = in.readInt();
                if (n < 0) throw new IOException(file + " is corrupt (parameter " + names[i] + " has " + n + " values)");
                values[i] = readFloats(in, n);
                m[i] = readFloats(in, n);
                v[i] = readFloats(in, n);
            }
            long expected = checked.getChecksum().getValue();
            long stored = new DataInputStream(raw).readLong();
            if (stored != expected) throw new IOException(file + " is corrupt (CRC mismatch)");
            return new Checkpoint(identity, steps, next, names, values, new Adam.State(adamStep, m, v));
        } catch (EOFException e) {
            throw new IOException(file + " is truncated", e);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * a.length);
        b.asFloatBuffer().put(a);
        out.write(b.array());
    }

    private static float[] readFloats(DataInputStream in, int n) throws IOException {
        byte[] bytes = new byte[4 * n];
        in.readFully(bytes);
        float[] a = new float[n];
        ByteBuffer.wrap(bytes).asFloatBuffer().get(a);
        return a;
    }
}

package org.pdrecon.util;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * All of a command's outputs, or none of them. Before the work starts, {@link #check} finds every target
 * that cannot be written (its parent is a file, it is a folder where a file is wanted, a non-empty
 * folder where a new series is wanted, a folder that cannot be written) and says which folders it will
 * create, and removes temporaries that an earlier, killed run left (its process gone, untouched for a day).
 * Each output is then written to a hidden temporary beside its target ({@link #staging}), and
 * {@link #commit} renames them onto their targets only when every one was written. On any failure,
 * {@link #close} deletes the temporaries: earlier outputs never stay behind a failed later one.
 *
 * <p>A file is staged under its own name inside a hidden folder beside the target, so writers that choose a
 * format by extension, or write sidecar files named after the target ({@code .mhd} + {@code .raw}), behave
 * the same; the commit moves the sidecars first and the target last. Not thread-safe.
 */
public final class OutputSet implements AutoCloseable {
    /** Temporaries of a process that is not running and untouched this long are removed by {@link #check}. */
    static final long STALE_MILLIS = 24L * 3600 * 1000;

    private final Map<Path, Path> staged = new LinkedHashMap<>(); // target → temporary
    private final Map<Path, Boolean> folders = new LinkedHashMap<>(); // target → is a folder of files
    private boolean committed;

    /** A file output (replaced if it exists). */
    public OutputSet file(Path target) {
        if (target != null) folders.put(target.toAbsolutePath().normalize(), false);
        return this;
    }

    /** A folder output (a series of files): it must not exist yet, or be empty. */
    public OutputSet folder(Path target) {
        if (target != null) folders.put(target.toAbsolutePath().normalize(), true);
        return this;
    }

    /**
     * Checks every target before any work.
     *
     * @return one line per folder that will be created, for the user
     * @throws IOException naming the first target that cannot be written, and why
     */
    public List<String> check() throws IOException {
        List<String> creates = new ArrayList<>();
        for (Map.Entry<Path, Boolean> e : folders.entrySet()) {
            Path target = e.getKey();
            boolean folder = e.getValue();
            if (Files.isDirectory(target) && !folder) throw new IOException("cannot write " + target + ": it is a folder");
            if (Files.exists(target) && !Files.isDirectory(target) && folder) throw new IOException("cannot write " + target + ": it is a file, not a folder");
            if (folder && Files.isDirectory(target)) {
                try (Stream<Path> s = Files.list(target)) {
                    if (s.findAny().isPresent()) throw new IOException("cannot write a new series into " + target + ": the folder is not empty");
                }
            }
            sweepStale(target);
            Path parent = target.getParent(), existing = parent;
            while (existing != null && !Files.exists(existing)) existing = existing.getParent();
            if (existing == null || !Files.isDirectory(existing)) {
                throw new IOException("cannot write " + target + ": " + existing + " is a file, not a folder");
            }
            probe(existing, target);
            String line = "will create folder " + parent;
            if (!existing.equals(parent) && !creates.contains(line)) creates.add(line);
        }
        return creates;
    }

    /** Where to write {@code target} now: a temporary beside it (a folder for a folder output). */
    public Path staging(Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Boolean folder = folders.get(abs);
        if (folder == null) throw new IllegalArgumentException(target + " was not declared as an output");
        Files.createDirectories(abs.getParent());
        Path tmp = abs.resolveSibling(".partial-" + ProcessHandle.current().pid() + "-" + abs.getFileName());
        delete(tmp);
        Files.createDirectory(tmp);
        staged.put(abs, tmp);
        return folder ? tmp : tmp.resolve(abs.getFileName());
    }

    /** Renames every staged output onto its target; targets not staged are left alone. */
    public void commit() throws IOException {
        // Files that will be replaced are first moved aside, so that a failed rename can put them back.
        Map<Path, Path> replaced = new LinkedHashMap<>(); // original place → kept copy
        List<Path> placed = new ArrayList<>(), emptiedFolders = new ArrayList<>();
        try {
            for (Map.Entry<Path, Path> e : staged.entrySet()) {
                Path target = e.getKey(), tmp = e.getValue();
                try {
                    if (folders.get(target)) {
                        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                            Files.delete(target); // empty, as check() found it; recreated on rollback
                            emptiedFolders.add(target);
                        }
                        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                        placed.add(target);
                    } else {
                        List<Path> files;
                        try (Stream<Path> st = Files.list(tmp)) {
                            files = st.sorted(Comparator.comparing((Path f) -> f.getFileName().equals(target.getFileName()))).toList();
                        }
                        for (Path f : files) {
                            Path to = target.resolveSibling(f.getFileName());
                            if (Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS)) throw new IOException(to + " is a folder");
                            if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
                                Path aside = to.resolveSibling(".replaced-" + ProcessHandle.current().pid() + "-" + to.getFileName());
                                move(to, aside);
                                replaced.put(to, aside);
                            }
                            move(f, to);
                            placed.add(to);
                        }
                        Files.delete(tmp);
                    }
                } catch (IOException ex) {
                    throw new IOException("cannot write " + target + ": " + ex.getMessage(), ex);
                }
            }
        } catch (IOException failed) {
            for (Path p : placed) {
                try {
                    delete(p);
                } catch (IOException ignored) {
                    // keep rolling back
                }
            }
            for (Path folder : emptiedFolders) {
                try {
                    Files.createDirectories(folder);
                } catch (IOException ignored) {
                    failed.addSuppressed(new IOException("could not recreate the empty folder " + folder));
                }
            }
            for (Map.Entry<Path, Path> r : replaced.entrySet()) {
                try {
                    move(r.getValue(), r.getKey());
                } catch (IOException ignored) {
                    failed.addSuppressed(new IOException("could not restore " + r.getKey() + " from " + r.getValue()));
                }
            }
            throw failed;
        }
        committed = true;
        for (Path aside : replaced.values()) {
            try {
                Files.deleteIfExists(aside);
            } catch (IOException ignored) {
                // the outputs are in place; a kept copy we cannot remove is only clutter
            }
        }
    }

    /** Deletes the temporaries of an uncommitted set. */
    @Override
    public void close() {
        if (committed) return;
        for (Path tmp : staged.values()) {
            try {
                delete(tmp);
            } catch (IOException ignored) {
                // the failure being reported matters more than a leftover temporary
            }
        }
    }

    /** Removes temporaries that a killed earlier run left beside {@code target} (their process is gone). */
    private static void sweepStale(Path target) {
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) return;
        String suffix = "-" + target.getFileName();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (!name.startsWith(".partial-") || !name.endsWith(suffix)) continue;
                String pid = name.substring(".partial-".length(), name.length() - suffix.length());
                if (!pid.chars().allMatch(Character::isDigit) || pid.isEmpty()) continue;
                if (ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) continue;
                // A process that is not seen may live in another container or host on a shared folder: only
                // temporaries untouched for a day are taken as abandoned.
                if (Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis() > System.currentTimeMillis() - STALE_MILLIS) continue;
                delete(p);
            }
        } catch (IOException | NumberFormatException ignored) {
            // a leftover we cannot remove does not stop this run
        }
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Creates and deletes a file in {@code dir}: the only test of writability that holds for every user. */
    private static void probe(Path dir, Path target) throws IOException {
        Path p;
        try {
            p = Files.createTempFile(dir, ".pdrecon-probe-", ".tmp");
        } catch (FileAlreadyExistsException e) {
            return;
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": folder " + dir + " is not writable (" + e.getMessage() + ")", e);
        }
        Files.deleteIfExists(p);
    }

    private static void delete(Path p) throws IOException {
        FileTrees.delete(p);
    }
}

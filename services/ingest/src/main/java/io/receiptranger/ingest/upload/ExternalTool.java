package io.receiptranger.ingest.upload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a decoder that is not Java (libheif's tools) so that a crafted file cannot hold it or fill the
 * disk: in a private temporary directory (owner-only, its working directory, deleted with everything
 * in it afterwards), its output read by a background thread (a tool that prints a lot never blocks
 * on a full pipe, and we keep only the first few KiB), and a deadline that starts with the process
 * and kills it and every process it started.
 */
final class ExternalTool {

    /** How much of the tool's output is kept for the log. */
    private static final int KEPT_OUTPUT = 4096;

    private ExternalTool() {
    }

    /** What the tool did: its exit code (or none when it was killed at the deadline) and the start of its output. */
    record Run(boolean finished, int exitCode, String output) {
    }

    /** A directory only this process can read, removed with its contents on close. */
    static final class PrivateDir implements AutoCloseable {
        private final Path path;

        PrivateDir(String prefix) throws IOException {
            Path base = Path.of(System.getProperty("java.io.tmpdir"));
            Path dir;
            try {
                dir = Files.createTempDirectory(base, prefix,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                dir = Files.createTempDirectory(base, prefix);
            }
            this.path = dir;
        }

        Path path() {
            return path;
        }

        @Override
        public void close() {
            try {
                Files.walkFileTree(path, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        Files.deleteIfExists(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                        Files.deleteIfExists(dir);
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("could not remove " + path, e);
            }
        }
    }

    /**
     * Runs {@code command} in {@code dir}; returns when it exits or, at {@code deadline}, after killing
     * its process tree. {@link IOException} when the command cannot be started at all.
     */
    static Run run(List<String> command, Path dir, Duration deadline) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        Thread drain = new Thread(() -> drain(process.getInputStream(), kept), "external-tool-output");
        drain.setDaemon(true);
        drain.start();
        try {
            if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(process);
                return new Run(false, -1, output(kept));
            }
            drain.join(1000);
            return new Run(true, process.exitValue(), output(kept));
        } finally {
            if (process.isAlive()) {
                // interrupted while waiting: the tool must not outlive the request
                killTree(process);
            }
        }
    }

    /** Kills the process and its descendants, and waits (briefly) until it is gone, so its files can be removed. */
    static void killTree(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    private static void drain(InputStream in, ByteArrayOutputStream kept) {
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                synchronized (kept) {
                    int room = KEPT_OUTPUT - kept.size();
                    if (room > 0) {
                        kept.write(buffer, 0, Math.min(room, n));
                    }
                }
            }
        } catch (IOException e) {
            // the process was killed: its output ends here
        }
    }

    private static String output(ByteArrayOutputStream kept) {
        synchronized (kept) {
            return kept.toString(StandardCharsets.UTF_8);
        }
    }
}

package io.wax.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The framework's storage for one process: a fresh temporary folder, removed when the process
 * ends. Processes of one distribution (a cluster on one machine, a shell and a headless run) never
 * share or corrupt each other's cache, and bundles are installed by reference, so a fresh cache
 * costs no copying.
 */
record Cache(Path dir) implements AutoCloseable {
    static Cache create() throws IOException {
        return new Cache(Files.createTempDirectory("wax-felix-"));
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary folder is harmless; the OS cleans the temp dir
        }
    }
}

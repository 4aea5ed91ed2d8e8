package io.wax.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The framework's storage for one process: a fresh temporary folder, removed when the process
 * ends. Processes of one distribution (a cluster on one machine, a shell and a headless run) never
 * share or corrupt each other's cache, and bundles are installed by reference, so a fresh cache
 * costs no copying. The folder's name carries the process id, so that folders left behind by a
 * killed process are removed by the next one.
 */
record Cache(Path dir) implements AutoCloseable {
    private static final String PREFIX = "wax-felix-";

    static Cache create() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        removeOrphans(tmp);
        Cache cache = new Cache(Files.createTempDirectory(tmp, PREFIX + ProcessHandle.current().pid() + "-"));
        // Ctrl-C skips the normal path out: remove the folder on the way down anyway.
        Runtime.getRuntime().addShutdownHook(new Thread(cache::close, "wax-cache-cleanup"));
        return cache;
    }

    @Override
    public void close() {
        delete(dir);
    }

    private static void removeOrphans(Path tmp) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, PREFIX + "*-*")) {
            for (Path d : dirs) {
                String rest = d.getFileName().toString().substring(PREFIX.length());
                try {
                    long pid = Long.parseLong(rest.substring(0, rest.indexOf('-')));
                    if (ProcessHandle.of(pid).isEmpty()) {
                        delete(d);
                    }
                } catch (NumberFormatException e) {
                    // not one of ours
                }
            }
        } catch (IOException e) {
            // leftovers are harmless; the OS cleans the temp dir
        }
    }

    private static void delete(Path dir) {
        if (Files.notExists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary folder is harmless; the OS cleans the temp dir
        }
    }
}

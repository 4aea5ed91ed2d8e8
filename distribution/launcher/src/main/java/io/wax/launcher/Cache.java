package io.wax.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.osgi.framework.launch.Framework;

/**
 * The framework's storage for one process: a fresh temporary folder, removed when the process
 * ends. Processes of one distribution (a cluster on one machine, a shell and a headless run) never
 * share or corrupt each other's cache, and bundles are installed by reference, so a fresh cache
 * costs no copying. The folder's name carries the process id, so that folders left behind by a
 * killed process are removed by the next one.
 *
 * <p>The folder is removed only once the framework that uses it has stopped: removed under a
 * running framework, a bundle still loading a class or writing its state fails with a
 * {@code NoSuchFileException}, and that, not the run's own error, is what the user would see.
 */
final class Cache implements AutoCloseable {
    private static final String PREFIX = "wax-felix-";
    /** How long the shutdown hook lets a framework still running stop before it leaves the folder to the next run. */
    private static final long HOOK_STOP_MS = 3000;

    private final Path dir;
    private volatile Framework framework;

    private Cache(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    static Cache create() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        removeOrphans(tmp);
        Cache cache = new Cache(Files.createTempDirectory(tmp, PREFIX + ProcessHandle.current().pid() + "-"));
        // Ctrl-C and a second SIGTERM skip the normal path out: stop the framework and remove the folder on the way down anyway.
        Runtime.getRuntime().addShutdownHook(new Thread(cache::onExit, "wax-cache-cleanup"));
        return cache;
    }

    /** The framework that keeps its bundles here: the folder stays as long as it runs. */
    void usedBy(Framework fw) {
        this.framework = fw;
    }

    /** Removes the folder, unless its framework is still running (a stop that timed out): the next run removes it then. */
    @Override
    public void close() {
        if (!running(framework)) {
            delete(dir);
        }
    }

    private void onExit() {
        Framework fw = framework;
        if (running(fw)) {
            try {
                fw.stop();
                fw.waitForStop(HOOK_STOP_MS);
            } catch (Exception | LinkageError e) {
                // stopping anyway: the folder is left if the framework is still up
            }
        }
        close();
    }

    private static boolean running(Framework fw) {
        return fw != null && (fw.getState() & (Framework.STARTING | Framework.ACTIVE | Framework.STOPPING)) != 0;
    }

    /**
     * Removes the folders of processes that are gone (killed with -9, say). Processes started
     * together (a cluster on one machine, {@code wax spawn}) sweep at the same moment: each first
     * claims a folder by renaming it, so that no two delete one folder under each other's walk
     * (which once failed a starting process with a NoSuchFileException on another's {@code bundleN},
     * before it could even listen).
     */
    static void removeOrphans(Path tmp) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, PREFIX + "*-*")) {
            for (Path d : dirs) {
                String rest = d.getFileName().toString().substring(PREFIX.length());
                try {
                    long pid = Long.parseLong(rest.substring(0, rest.indexOf('-')));
                    if (ProcessHandle.of(pid).isEmpty()) {
                        Path claimed = d.resolveSibling(d.getFileName() + "-gone" + ProcessHandle.current().pid());
                        Files.move(d, claimed, StandardCopyOption.ATOMIC_MOVE);
                        delete(claimed);
                    }
                } catch (NumberFormatException e) {
                    // not one of ours
                } catch (IOException e) {
                    // another process claimed it first
                }
            }
        } catch (IOException | RuntimeException e) {
            // leftovers are harmless; the OS cleans the temp dir
        }
    }

    /** Deletes a folder and what it holds, as far as it can: never fails the process. */
    private static void delete(Path dir) {
        if (Files.notExists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a file that vanished under the walk, or a leftover: harmless, the OS cleans the temp dir
        }
    }
}

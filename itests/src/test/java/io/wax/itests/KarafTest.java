package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Wax inside a real Apache Karaf, unpacked from the distribution Maven Central serves: the
 * features repository is added and {@code wax} installed from the local repository (where the
 * features module put this build's artifacts), then {@code wax:flows}, {@code wax:run simple -w3}
 * and {@code wax:describe} run in Karaf's own shell, typed into its console; then {@code wax-kafka}
 * and {@code wax-cluster} are installed, and their library bundles and kafka-wordcount start. Karaf runs offline,
 * on free ports, and stops when its console's input ends; only its process is ever killed.
 */
public class KarafTest {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    /** Karaf's console colours its prompt and redraws it; what is left after that is the output. */
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");
    private static final Pattern PROMPT = Pattern.compile("^([\\w.-]+@[\\w.-]+\\([^)]*\\)> ?)+");
    private static final Pattern PROMPT_ANYWHERE = Pattern.compile("[\\w.-]+@[\\w.-]+\\([^)]*\\)>");
    /** What Karaf prints when {@code echo}, the end marker of {@link #command}, is not registered yet. */
    private static final String NO_ECHO = "Command not found: echo";

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void theWaxFeatureRunsFlowsInKarafsShell() throws Exception {
        Path karaf = unpack();
        configure(karaf);
        Map<String, String> env = Map.of("KARAF_EXEC", "exec", // bin/karaf becomes the JVM: its pid is Karaf's
                "JAVA_HOME", System.getProperty("java.home"));
        try (WaxProcess console = WaxProcess.command(karaf, env, List.of("bash", "bin/karaf", "client"))) {
            // Nothing is typed before the console reads its input (its first prompt); then the boot
            // features may still be starting: retry until feature:* (and echo, the marker) are in.
            Await.until(START_TIMEOUT, () -> PROMPT_ANYWHERE.matcher(ANSI.matcher(console.out()).replaceAll("")).find(),
                    () -> failure(karaf, console));
            Await.until(START_TIMEOUT, Duration.ofMillis(500),
                    () -> !String.join("\n", command(karaf, console, "feature:repo-list")).contains("Command not found"),
                    () -> failure(karaf, console));

            List<String> installed = command(karaf, console, "feature:repo-add mvn:io.wax/wax-features/"
                    + System.getProperty("wax.version") + "/xml/features", "feature:install wax");
            assertTrue(String.join("\n", installed), installed.stream().noneMatch(l -> l.contains("Error")));
            // SCR activates the commands and flows as their bundles start: wait for them.
            Await.until(COMMAND_TIMEOUT, Duration.ofMillis(500),
                    () -> command(karaf, console, "wax:flows").stream().anyMatch(l -> l.startsWith("simple")),
                    () -> failure(karaf, console));

            List<String> run = command(karaf, console, "wax:run simple -w3");
            System.out.println("Karaf " + System.getProperty("karaf.version") + ", wax:run simple -w3 printed " + run);
            for (String n : List.of("1", "2", "3")) {
                assertEquals(failure(karaf, console), 1, Collections.frequency(run, n));
            }
            List<String> described = command(karaf, console, "wax:describe simple --format mermaid");
            assertTrue(failure(karaf, console), described.contains("flowchart TD"));
            // The Kafka and cluster features: their library bundles (kafka-clients, gRPC) resolve in Karaf, with
            // pax-logging's slf4j, and the connector, transport and kafka-wordcount are wired to them.
            List<String> more = command(karaf, console, "feature:install wax-kafka wax-cluster");
            assertTrue(String.join("\n", more), more.stream().noneMatch(l -> l.contains("Error")));
            Await.until(COMMAND_TIMEOUT, Duration.ofMillis(500),
                    () -> command(karaf, console, "wax:flows").stream().anyMatch(l -> l.startsWith("kafka-wordcount")),
                    () -> failure(karaf, console));
            List<String> bundles = command(karaf, console, "bundle:list -s");
            for (String b : List.of("io.wax.kafka.clients", "io.wax.connectors.kafka", "io.wax.grpc", "io.wax.transport.grpc")) {
                assertTrue(b + " is not active: " + bundles,
                        bundles.stream().anyMatch(l -> l.contains("Active") && (l.endsWith(" " + b) || l.contains(" " + b + " "))));
            }
            // Karaf's shell owns the container's life: Wax adds no command that would stop it.
            List<String> exit = command(karaf, console, "wax:exit");
            assertTrue(failure(karaf, console), String.join("\n", exit).contains("Command not found"));

            console.closeInput(); // the end of the console's input shuts Karaf down
            assertEquals(failure(karaf, console), 0, console.exitCode(COMMAND_TIMEOUT));
        }
    }

    /** A fresh Karaf from the archive the build copied out of the local repository. */
    private Path unpack() throws Exception {
        Path archive = Path.of(System.getProperty("karaf.archive"));
        Path into = tmp.newFolder("karaf").toPath();
        Process tar = new ProcessBuilder("tar", "xzf", archive.toString(), "--strip-components=1", "-C", into.toString())
                .redirectErrorStream(true).start();
        String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("tar: " + out, 0, tar.waitFor());
        return into;
    }

    /**
     * Free ports for the JMX connector (the SSH server is off in client mode); Maven offline.
     * Not {@code karaf.delay.console}: its watcher reads {@code System.in}, a buffered stream, for
     * the Enter that opens the console early, and so takes in every line already typed, while the
     * console, once open, reads the file descriptor: those lines never reach it. That is how this
     * test once waited 60 s for an {@code echo} that Karaf never saw (on a loaded machine the
     * shell bundle started before the last start level, so the watcher was reading).
     */
    private static void configure(Path karaf) throws IOException {
        append(karaf.resolve("etc/org.apache.karaf.management.cfg"),
                "rmiRegistryPort = " + freePort(), "rmiServerPort = " + freePort());
        append(karaf.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort = " + freePort());
        append(karaf.resolve("etc/org.ops4j.pax.url.mvn.cfg"),
                "org.ops4j.pax.url.mvn.localRepository = " + System.getProperty("org.ops4j.pax.url.mvn.localRepository"),
                "org.ops4j.pax.url.mvn.repositories =",
                "org.ops4j.pax.url.mvn.offline = true");
    }

    /** The last definition of a key wins: appended lines override Karaf's defaults. */
    private static void append(Path file, String... lines) throws IOException {
        Files.writeString(file, "\n" + String.join("\n", lines) + "\n", StandardOpenOption.APPEND);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Types the commands, then an {@code echo} of a marker, and returns the output lines between
     * the commands and the marker's output (the console echoes what is typed: those lines, with
     * the command in them, are left out). If {@code echo} is not registered yet, the output so far
     * is returned, with Karaf's "Command not found: echo" in it.
     */
    private static List<String> command(Path karaf, WaxProcess console, String... commands) {
        int before = console.out().length();
        String marker = "done-" + System.nanoTime();
        try {
            console.send(String.join("\n", commands) + "\necho " + marker + "\n");
        } catch (IOException e) {
            throw new AssertionError("Karaf's console is closed: " + failure(karaf, console), e);
        }
        Await.until(COMMAND_TIMEOUT, () -> {
            List<String> sofar = lines(console.out().substring(before));
            return sofar.contains(marker) || sofar.contains(NO_ECHO);
        }, () -> failure(karaf, console));
        List<String> out = new ArrayList<>();
        for (String line : lines(console.out().substring(before))) {
            if (line.equals(marker) || line.equals(NO_ECHO)) {
                break;
            }
            if (!List.of(commands).contains(line) && !line.equals("echo " + marker)) {
                out.add(line);
            }
        }
        return out;
    }

    /** The console's text as lines, without colours, carriage-return redraws and prompts. */
    static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : ANSI.matcher(text).replaceAll("").split("\n")) {
            for (String part : line.split("\r")) {
                String l = PROMPT.matcher(part.strip()).replaceFirst("").strip();
                if (!l.isEmpty()) {
                    lines.add(l);
                }
            }
        }
        return lines;
    }

    private static String failure(Path karaf, WaxProcess console) {
        String log = "";
        try {
            List<String> all = Files.readAllLines(karaf.resolve("data/log/karaf.log"));
            log = String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
        } catch (IOException e) {
            log = "(no data/log/karaf.log: " + e + ")";
        }
        return "console: " + String.join("\n", lines(console.out())) + "\nstderr: " + console.err() + "\nkaraf.log (end): " + log;
    }
}

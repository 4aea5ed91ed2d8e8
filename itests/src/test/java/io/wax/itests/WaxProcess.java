package io.wax.itests;

import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A {@code bin/wax} process with its output collected as it comes, for whole-process tests. */
final class WaxProcess implements AutoCloseable {
    private final Process process;
    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();
    private final Thread outPump;
    private final Thread errPump;

    private WaxProcess(Process process) {
        this.process = process;
        this.outPump = pump(process.getInputStream(), out);
        this.errPump = pump(process.getErrorStream(), err);
    }

    /** Starts {@code home/bin/wax args} with no {@code WAX_*} variables but those given. */
    static WaxProcess start(Path home, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        // The signals the tests send, at their defaults: a build started in the background (nohup,
        // or a non-interactive shell's '&') hands its children SIGHUP and SIGINT ignored, and a JVM
        // cannot take back a signal it was started with ignored.
        cmd.addAll(List.of("env", "--default-signal=HUP,INT,TERM"));
        cmd.add(home.resolve("bin/wax").toString());
        cmd.addAll(Arrays.asList(args));
        return command(home, env, cmd);
    }

    /** Starts any command in {@code dir}, with no {@code WAX_*} variables but those given. */
    static WaxProcess command(Path dir, Map<String, String> env, List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("WAX_"));
        pb.environment().putAll(env);
        return new WaxProcess(pb.start());
    }

    /** Runs to the end with the given stdin; fails if it takes longer than a minute. */
    static WaxProcess run(Path home, Map<String, String> env, String stdin, String... args) throws Exception {
        WaxProcess p = start(home, env, args);
        p.send(stdin);
        p.closeInput();
        p.exitCode(Duration.ofMinutes(1));
        return p;
    }

    void send(String text) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Sends a signal ({@code TERM}, {@code HUP}, {@code INT}) to bin/wax's process (the JVM it execs). */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        if (kill.waitFor() != 0) {
            fail("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** The process id of bin/wax, which execs the JVM: the JVM's own id. */
    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    void closeInput() throws IOException {
        process.getOutputStream().close();
    }

    int exitCode(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            fail("the process did not exit within " + timeout.toSeconds() + " s; stdout: " + out + "\nstderr: " + err);
        }
        outPump.join(5000);
        errPump.join(5000);
        return process.exitValue();
    }

    /** Whether the process exits within {@code d}; a process still running is left alone. */
    boolean exitCodeWithin(Duration d) throws InterruptedException {
        return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    int exitCode() throws InterruptedException {
        return exitCode(Duration.ofMinutes(1));
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }

    /** Stdout's lines, without the shell's prompts. */
    List<String> outLines() {
        List<String> lines = new ArrayList<>();
        for (String line : out().split("\\R")) {
            String l = line;
            while (l.startsWith(ShellTest.PROMPT)) {
                l = l.substring(ShellTest.PROMPT.length());
            }
            if (!l.isEmpty()) {
                lines.add(l);
            }
        }
        return lines;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private static Thread pump(InputStream in, StringBuffer into) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                into.append("[read failed: ").append(e).append(']');
            }
        }, "wax-process-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A private copy of the distribution, for tests that change deploy/ or run the shell. */
    static Path copyOfDistribution(Path into) throws IOException {
        Path src = ExamSetup.dist();
        Path dst = into.resolve("wax");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().endsWith(".log")) {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return dst;
    }
}

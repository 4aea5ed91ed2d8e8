package io.wax.itests;

import io.wax.api.io.StableHash;
import io.wax.engine.Assignment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 15's backpressure promise with two real {@code bin/wax} processes: a fast source in one and
 * a slow sink in the other stay within a 256 MB heap each. Both run the shipped {@code wordcount}
 * (stdin, one running count per word, stdout) as a cluster of 2 processes of 1 worker on loopback,
 * each from a private copy of the distribution whose {@code etc/jvm.options} gains {@code -Xmx256m}
 * (how a user sets the heap and keeps bin/wax's other options). The process whose worker owns the
 * {@code stdin} partition (the reader) is fed 100-character words as fast as its pipe takes them;
 * every word hashes to the other process's worker (the sink), whose standard output this harness
 * reads at a fixed, slow pace, so its sink blocks in {@code write} like any slow consumer. Without
 * end-to-end backpressure the reader would pile up frames for the sink, or the sink's inbox would
 * grow, until one heap overflows.
 *
 * <p>Every second it scrapes both processes' {@code /metrics} (heap and old generation used, items
 * read by the reader's input and written by the sink's output, time held back); every
 * {@code gcEvery} it runs {@code jcmd PID GC.run} and {@code GC.heap_info} against the two pids it
 * started and records the old generation after that full collection. At the end it closes the
 * reader's stdin, the bounded flow ends on both, and every word fed must have been counted. The
 * run fails on an {@code OutOfMemoryError} in either log, a process that dies or exits non-zero, a
 * word lost, or an old generation after full GC that grows by more than {@code growLimitMb}.
 */
final class SlowPeerProcesses {
    private static final String FLOW = "wordcount";
    private static final int WORDS = 8;
    private static final int WORD_LENGTH = 100;
    private static final int BLOCK_LINES = 1024;

    /** How long, how often to print and to collect, how fast the sink's output is read, and the bounds. */
    record Settings(Duration length, Duration every, Duration gcEvery, int sinkKbPerSecond, long growLimitMb, long afterGcLimitMb) {
    }

    /** What one run measured; {@link #failures} is empty when it passed. */
    static final class Result {
        final List<String> failures = new ArrayList<>();
        int readerProcess;
        int sinkProcess;
        long fed;
        long read;
        long written;
        long linesOut;
        long countedTotal;
        long maxLead;
        double seconds;
        double backpressureSeconds;
        final long[] maxHeapUsed = new long[2];
        final long[] maxOld = new long[2];
        final long[] heapMax = new long[2];
        final List<long[]> afterGcOld = new ArrayList<>(); // {t seconds, process 0 old after GC, process 1}
        final int[] exitCodes = {-1, -1};
        final int[] missedScrapes = new int[2];
        final String[] stderr = new String[2];

        /** The old generation's growth after full GC from the first checkpoint to the last, per process. */
        long growth(int process) {
            if (afterGcOld.size() < 2) {
                return 0;
            }
            return afterGcOld.get(afterGcOld.size() - 1)[process + 1] - afterGcOld.get(0)[process + 1];
        }

        long maxAfterGc(int process) {
            return afterGcOld.stream().mapToLong(c -> c[process + 1]).max().orElse(0);
        }
    }

    private SlowPeerProcesses() {
    }

    /** A private copy of the built distribution whose etc/jvm.options adds {@code -Xmx256m}, its CDS archive recorded. */
    static Path distributionWith256Mb(Path dir) throws Exception {
        Path home = WaxProcess.copyOfDistribution(dir);
        Files.writeString(home.resolve("etc/jvm.options"), "\n# the backpressure check's heap\n-Xmx256m\n", StandardOpenOption.APPEND);
        // The first run of a fresh copy records its class-data archive: once, before the cluster starts.
        WaxProcess flows = WaxProcess.run(home, java.util.Map.of(), "", "flows");
        if (flows.exitCode() != 0 || !flows.out().contains(FLOW)) {
            throw new IllegalStateException("bin/wax flows failed in " + home + ": " + flows.err());
        }
        return home;
    }

    static Result run(Path home, Settings s, PrintStream log) throws Exception {
        Result r = new Result();
        // Global worker index = process x workers per process + local index: with -w1, the process id.
        r.readerProcess = Assignment.owners(FLOW + ".inp", List.of("stdin"), 2)[0];
        r.sinkProcess = 1 - r.readerProcess;
        byte[][] words = words(r.sinkProcess);
        byte[] block = block(words);
        int[] ports = freePorts(4);
        String addresses = "127.0.0.1:" + ports[0] + ";127.0.0.1:" + ports[1];
        log.printf(Locale.ROOT, "# slow peer, 2 bin/wax processes: %s -w1, process %d reads %d-char words from stdin as fast as its pipe takes"
                        + " them, all keyed to process %d, whose stdout is read at %d KB/s; %s; etc/jvm.options: %s%n",
                FLOW, r.readerProcess, WORD_LENGTH, r.sinkProcess, s.sinkKbPerSecond(), s.length(),
                String.join(" ", Files.readAllLines(home.resolve("etc/jvm.options")).stream().filter(l -> !l.startsWith("#") && !l.isBlank()).toList()));
        Proc[] ps = new Proc[2];
        List<Thread> threads = new ArrayList<>();
        AtomicBoolean stopFeeding = new AtomicBoolean();
        AtomicBoolean fullSpeed = new AtomicBoolean();
        AtomicLong fed = new AtomicLong();
        AtomicLong linesOut = new AtomicLong();
        AtomicLong strayLines = new AtomicLong();
        long[] maxCount = new long[WORDS];
        try {
            for (int i = 0; i < 2; i++) {
                ps[i] = Proc.start(home, "run", FLOW, "-i" + i, "-a", addresses, "--metrics-port", Integer.toString(ports[2 + i]));
            }
            Proc reader = ps[r.readerProcess];
            Proc sink = ps[r.sinkProcess];
            sink.process.getOutputStream().close(); // its worker owns no stdin partition
            threads.add(daemon("slow-peer-feeder", () -> {
                try (OutputStream in = reader.process.getOutputStream()) {
                    while (!stopFeeding.get()) {
                        in.write(block);
                        fed.addAndGet(BLOCK_LINES);
                    }
                } catch (IOException e) {
                    // the reader died or closed its input: the checks below say which
                }
            }));
            threads.add(daemon("slow-peer-sink-output", () -> readSlowly(sink.process.getInputStream(), s.sinkKbPerSecond(), fullSpeed,
                    linesOut, maxCount)));
            threads.add(daemon("slow-peer-reader-output", () -> readSlowly(reader.process.getInputStream(), Integer.MAX_VALUE, fullSpeed,
                    strayLines, new long[WORDS])));
            for (Proc p : ps) {
                threads.add(daemon("slow-peer-stderr", p::drainErr));
            }

            // The measured time starts once words come out of the sink.
            Await.until(Duration.ofSeconds(90), Duration.ofMillis(50), () -> linesOut.get() > 0 || !ps[0].process.isAlive() || !ps[1].process.isAlive(),
                    () -> "no output from process " + r.sinkProcess + "; stderr: " + sink.err());
            for (int i = 0; i < 2; i++) {
                // bin/wax has exec'd its JVM by now (it answers): its command line shows the heap it was given.
                String cmdline = Files.readString(Path.of("/proc/" + ps[i].process.pid() + "/cmdline")).replace('\0', ' ');
                if (!cmdline.contains(" -Xmx256m ")) {
                    r.failures.add("process " + i + " does not run with -Xmx256m: " + cmdline);
                }
            }
            long t0 = System.nanoTime();
            long nextPrint = s.every().toNanos();
            long nextGc = s.gcEvery().toNanos();
            long end = s.length().toNanos();
            double[] bpStart = null;
            Metrics[] last = {new Metrics(), new Metrics()};
            while (true) {
                long t = System.nanoTime() - t0;
                for (int i = 0; i < 2; i++) {
                    if (ps[i].err().contains("OutOfMemoryError")) {
                        // A JVM may go on after an OutOfMemoryError in one thread: the run has failed anyway.
                        r.failures.add(String.format(Locale.ROOT, "process %d ran out of heap after %.0f s of the measured run", i, t / 1e9));
                    } else if (!ps[i].process.isAlive()) {
                        r.failures.add(String.format(Locale.ROOT, "process %d died after %.0f s of the measured run", i, t / 1e9));
                    }
                }
                if (!r.failures.isEmpty()) {
                    break;
                }
                Metrics[] m = {Metrics.scrape(ports[2]), Metrics.scrape(ports[3])};
                for (int i = 0; i < 2; i++) {
                    if (!m[i].answered) {
                        r.missedScrapes[i]++;
                        log.printf(Locale.ROOT, "t=%3d s process %d did not answer /metrics within 5 s%n", t / 1_000_000_000L, i);
                        m[i] = last[i];
                    }
                    last[i] = m[i];
                    r.maxHeapUsed[i] = Math.max(r.maxHeapUsed[i], m[i].heapUsed);
                    r.maxOld[i] = Math.max(r.maxOld[i], m[i].oldUsed);
                    r.heapMax[i] = Math.max(r.heapMax[i], m[i].heapMax);
                }
                long written = m[r.sinkProcess].written;
                long read = m[r.readerProcess].read;
                r.maxLead = Math.max(r.maxLead, read - written);
                if (bpStart == null) {
                    bpStart = new double[] {m[r.readerProcess].backpressure};
                }
                r.read = read;
                r.written = written;
                r.backpressureSeconds = m[r.readerProcess].backpressure - bpStart[0];
                if (t >= nextPrint || t >= end) {
                    nextPrint += s.every().toNanos();
                    log.printf(Locale.ROOT, "t=%3d s read=%d written=%d lead=%d held_back_s=%.1f | p0 heap_used_mb=%d old_gen_mb=%d | p1 heap_used_mb=%d"
                                    + " old_gen_mb=%d%n", t / 1_000_000_000L, read, written, read - written, r.backpressureSeconds,
                            m[0].heapUsed >> 20, m[0].oldUsed >> 20, m[1].heapUsed >> 20, m[1].oldUsed >> 20);
                }
                if (t >= nextGc || t >= end) {
                    nextGc += s.gcEvery().toNanos();
                    long[] after = {t / 1_000_000_000L, oldAfterFullGc(ps[0].process.pid()), oldAfterFullGc(ps[1].process.pid())};
                    r.afterGcOld.add(after);
                    log.printf(Locale.ROOT, "t=%3d s after a full GC (jcmd GC.run): p0 old_gen_mb=%.1f p1 old_gen_mb=%.1f%n", after[0],
                            after[1] / 1048576.0, after[2] / 1048576.0);
                }
                if (t >= end) {
                    r.seconds = t / 1e9;
                    break;
                }
                Thread.sleep(1000); // the sampling interval, not a synchronisation
            }

            // The end: the reader's stdin closes, the bounded flow ends everywhere, the rest is read at once.
            stopFeeding.set(true);
            fullSpeed.set(true);
            threads.get(0).join(10_000);
            for (int i = 0; i < 2; i++) {
                if (ps[i].process.waitFor(120, TimeUnit.SECONDS)) {
                    r.exitCodes[i] = ps[i].process.exitValue();
                } else {
                    r.failures.add("process " + i + " did not exit within 120 s of its input's end");
                }
            }
            for (Thread t : threads) {
                t.join(10_000);
            }
        } finally {
            stopFeeding.set(true);
            for (Proc p : ps) {
                if (p != null) {
                    p.kill();
                }
            }
        }
        r.fed = fed.get();
        r.linesOut = linesOut.get();
        for (long c : maxCount) {
            r.countedTotal += c;
        }
        for (int i = 0; i < 2; i++) {
            r.stderr[i] = ps[i].err();
            if (r.stderr[i].contains("OutOfMemoryError") && r.exitCodes[i] == 0) {
                r.failures.add("process " + i + " ran out of heap: " + r.stderr[i]);
            }
            if (r.exitCodes[i] != 0) {
                r.failures.add("process " + i + " exited " + r.exitCodes[i] + ": " + r.stderr[i]);
            }
        }
        if (r.failures.isEmpty()) {
            if (r.linesOut != r.fed || r.countedTotal != r.fed) {
                r.failures.add("words went missing: fed " + r.fed + ", output lines " + r.linesOut + ", final counts add up to " + r.countedTotal);
            }
            if (strayLines.get() != 0) {
                r.failures.add("process " + r.readerProcess + " printed " + strayLines + " lines: its worker owns none of the words");
            }
            for (int i = 0; i < 2; i++) {
                if (r.growth(i) > s.growLimitMb() << 20) {
                    r.failures.add(String.format(Locale.ROOT, "process %d's old generation after full GC grew by %d MB (limit %d MB): %s",
                            i, r.growth(i) >> 20, s.growLimitMb(), describe(r.afterGcOld)));
                }
                if (r.maxAfterGc(i) > s.afterGcLimitMb() << 20) {
                    r.failures.add(String.format(Locale.ROOT, "process %d kept %d MB after a full GC (limit %d MB): %s",
                            i, r.maxAfterGc(i) >> 20, s.afterGcLimitMb(), describe(r.afterGcOld)));
                }
            }
        }
        log.printf(Locale.ROOT, "RESULT slow-peer-processes seconds=%.0f fed=%d read=%d written=%d sink_per_s=%.0f max_lead_items=%d held_back_s=%.1f"
                        + " p0_max_heap_used_mb=%d p0_max_old_gen_mb=%d p0_old_after_gc_mb=%s p1_max_heap_used_mb=%d p1_max_old_gen_mb=%d"
                        + " p1_old_after_gc_mb=%s heap_max_mb=%d,%d missed_scrapes=%d,%d exit=%d,%d%n",
                r.seconds, r.fed, r.read, r.written, r.seconds > 0 ? r.written / r.seconds : 0, r.maxLead, r.backpressureSeconds,
                r.maxHeapUsed[0] >> 20, r.maxOld[0] >> 20, column(r.afterGcOld, 1), r.maxHeapUsed[1] >> 20, r.maxOld[1] >> 20,
                column(r.afterGcOld, 2), r.heapMax[0] >> 20, r.heapMax[1] >> 20, r.missedScrapes[0], r.missedScrapes[1], r.exitCodes[0], r.exitCodes[1]);
        for (String f : r.failures) {
            log.println("FAILED: " + f);
        }
        return r;
    }

    private static String column(List<long[]> rows, int col) {
        List<String> out = new ArrayList<>();
        for (long[] row : rows) {
            out.add(Long.toString(row[col] >> 20));
        }
        return String.join(",", out);
    }

    private static String describe(List<long[]> rows) {
        StringBuilder b = new StringBuilder();
        for (long[] row : rows) {
            b.append(String.format(Locale.ROOT, "t=%d s: %d / %d MB; ", row[0], row[1] >> 20, row[2] >> 20));
        }
        return b.toString();
    }

    /** {@code WORDS} distinct 100-character words, each owned by {@code worker} of 2; word i starts with "w" and digit i. */
    static byte[][] words(int worker) {
        byte[][] out = new byte[WORDS][];
        for (int i = 0; i < WORDS; i++) {
            for (int attempt = 0; ; attempt++) {
                StringBuilder w = new StringBuilder(WORD_LENGTH).append('w').append(i).append('-').append(attempt).append('-');
                while (w.length() < WORD_LENGTH) {
                    w.append((char) ('a' + (w.length() * 7 + i) % 26));
                }
                if (StableHash.owner(w.toString(), 2) == worker) {
                    out[i] = w.toString().getBytes(StandardCharsets.US_ASCII);
                    break;
                }
            }
        }
        return out;
    }

    /** {@code BLOCK_LINES} lines cycling through the words (a multiple of their number, so each is fed equally). */
    private static byte[] block(byte[][] words) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < BLOCK_LINES; i++) {
            b.writeBytes(words[i % WORDS]);
            b.write('\n');
        }
        return b.toByteArray();
    }

    /**
     * Reads {@code word count} lines at most {@code kbPerSecond} KB a second (until {@code fullSpeed}),
     * counting them and keeping each word's highest count.
     */
    private static void readSlowly(InputStream in, int kbPerSecond, AtomicBoolean fullSpeed, AtomicLong lines, long[] maxCount) {
        byte[] buf = new byte[8192];
        byte[] line = new byte[256];
        int len = 0;
        long total = 0;
        long t0 = System.nanoTime();
        try (in) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                for (int i = 0; i < n; i++) {
                    byte c = buf[i];
                    if (c != '\n') {
                        if (len < line.length) {
                            line[len++] = c;
                        }
                        continue;
                    }
                    lines.incrementAndGet();
                    int space = len - 1;
                    while (space >= 0 && line[space] != ' ') {
                        space--;
                    }
                    if (space > 1 && line[0] == 'w' && line[1] >= '0' && line[1] < '0' + WORDS) {
                        long count = Long.parseLong(new String(line, space + 1, len - space - 1, StandardCharsets.US_ASCII).trim());
                        maxCount[line[1] - '0'] = Math.max(maxCount[line[1] - '0'], count);
                    }
                    len = 0;
                }
                total += n;
                if (!fullSpeed.get()) {
                    long due = t0 + total * 1_000_000L / kbPerSecond; // ns at which this many bytes may have been read (1 KB/ms = 1 MB/s)
                    long ahead = due - System.nanoTime();
                    if (ahead > 0) {
                        Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
                    }
                }
            }
        } catch (IOException | InterruptedException | NumberFormatException e) {
            // the process ended; its exit code and stderr tell the rest
        }
    }

    /** The old generation's used bytes right after a full collection that jcmd asks of {@code pid}. */
    private static long oldAfterFullGc(long pid) throws IOException, InterruptedException {
        Path commands = Files.createTempFile("wax-slow-peer-jcmd", ".txt");
        try {
            Files.writeString(commands, "GC.run\nGC.heap_info\n");
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid), "-f",
                    commands.toString()).redirectErrorStream(true).start();
            String out;
            try (InputStream in = jcmd.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                if (!jcmd.waitFor(60, TimeUnit.SECONDS)) {
                    jcmd.destroyForcibly();
                }
            }
            // Parallel: "ParOldGen total 175104K, used 23456K"; G1 and others: "... heap total 262144K, used 12345K".
            Matcher m = Pattern.compile("(?:ParOldGen|Old Gen|heap)\\s+total \\d+K, used (\\d+)K").matcher(out);
            if (!m.find()) {
                throw new IllegalStateException("jcmd " + pid + " GC.heap_info gave no old generation: " + out);
            }
            return Long.parseLong(m.group(1)) << 10;
        } finally {
            Files.deleteIfExists(commands);
        }
    }

    private static int[] freePorts(int n) throws IOException {
        int[] out = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                held.add(s);
                out[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return out;
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The figures of one scrape of a process's /metrics; zeros where it did not answer. */
    private static final class Metrics {
        boolean answered;
        long heapUsed;
        long oldUsed;
        long heapMax;
        long read;
        long written;
        double backpressure;

        static Metrics scrape(int port) {
            Metrics m = new Metrics();
            HttpURLConnection c = null;
            try {
                c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/metrics").openConnection();
                c.setConnectTimeout(2000);
                c.setReadTimeout(5000);
                String text;
                try (InputStream in = c.getInputStream()) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                for (String line : text.split("\n")) {
                    if (line.startsWith("#")) {
                        continue;
                    }
                    int sp = line.lastIndexOf(' ');
                    if (sp < 0) {
                        continue;
                    }
                    double v = Double.parseDouble(line.substring(sp + 1));
                    if (line.startsWith("jvm_memory_used_bytes{area=\"heap\"")) {
                        m.heapUsed += (long) v;
                        if (line.contains("Old Gen")) {
                            m.oldUsed = (long) v;
                        }
                    } else if (line.startsWith("jvm_memory_max_bytes{area=\"heap\"") && v > 0) {
                        m.heapMax += (long) v;
                    } else if (line.startsWith("wax_step_items_out_total{") && line.contains("step=\"" + FLOW + ".inp\"")) {
                        m.read += (long) v;
                    } else if (line.startsWith("wax_step_items_in_total{") && line.contains("step=\"" + FLOW + ".out\"")) {
                        m.written += (long) v;
                    } else if (line.startsWith("wax_worker_backpressure_seconds_total{")) {
                        m.backpressure += v;
                    }
                }
                m.answered = true;
            } catch (IOException | NumberFormatException e) {
                // a process busy collecting may miss one scrape: the next second tries again
            } finally {
                if (c != null) {
                    c.disconnect();
                }
            }
            return m;
        }
    }

    /** A bin/wax process started with no WAX_* variables, its stderr kept. */
    private static final class Proc {
        final Process process;
        private final StringBuffer err = new StringBuffer();

        private Proc(Process process) {
            this.process = process;
        }

        static Proc start(Path home, String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=HUP,INT,TERM", home.resolve("bin/wax").toString()));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("WAX_"));
            return new Proc(pb.start());
        }

        void drainErr() {
            byte[] buf = new byte[8192];
            try (InputStream in = process.getErrorStream()) {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    if (err.length() < 1 << 20) {
                        err.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                }
            } catch (IOException e) {
                err.append("[stderr read failed: ").append(e).append(']');
            }
        }

        String err() {
            return err.toString();
        }

        /** Kills the process this harness started, by its pid (bin/wax execs the JVM), and waits for it. */
        void kill() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}

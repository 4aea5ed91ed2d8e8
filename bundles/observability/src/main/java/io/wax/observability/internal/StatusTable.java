package io.wax.observability.internal;

import java.util.Locale;

/** A run's figures as the compact table of {@code wax:status} and {@code bin/wax status}. */
final class StatusTable {
    private StatusTable() {
    }

    static String format(Sample s) {
        StringBuilder b = new StringBuilder();
        String state = s.state().name().toLowerCase(Locale.ROOT);
        b.append(String.format(Locale.ROOT, "flow %s  %s  up %.1fs  epoch %d  lag %d  process %d  workers %d%n",
                s.flow().getter(), state, s.uptimeSeconds(), s.epoch(), s.totalLag(), s.flow().processId(), s.flow().workers()));
        if (!s.flow().builds().isEmpty()) {
            StringBuilder builds = new StringBuilder();
            s.flow().builds().forEach((role, build) -> builds.append(builds.length() == 0 ? "" : ", ").append(role).append(' ').append(build));
            b.append("builds: ").append(builds).append('\n');
        }
        if (s.flow().swap() != null) {
            b.append("swap: ").append(s.flow().swap()).append('\n');
        }
        if (s.flow().failure() != null) {
            b.append("failure: ").append(s.flow().failure().lines().findFirst().orElse("")).append('\n');
        }
        int width = 4;
        for (Sample.Step st : s.steps()) {
            width = Math.max(width, st.id().length());
        }
        String row = "%-" + width + "s %12s %10s %12s %10s%n";
        b.append(String.format(Locale.ROOT, row, "STEP", "IN", "IN/S", "OUT", "OUT/S"));
        for (Sample.Step st : s.steps()) {
            b.append(String.format(Locale.ROOT, row, st.id(), st.itemsIn(), rate(st.inPerSecond()), st.itemsOut(),
                    rate(st.outPerSecond())));
        }
        b.append(String.format(Locale.ROOT, "%-6s %8s %8s %8s %12s%n", "WORKER", "EPOCH", "FRONTIER", "INBOX", "HELD BACK"));
        for (Sample.Worker w : s.workers()) {
            b.append(String.format(Locale.ROOT, "%-6d %8d %8s %8d %11.1fs%n", w.index(), w.epoch(),
                    w.frontier() == Long.MAX_VALUE ? "done" : Long.toString(w.frontier()), w.inbox(), w.backpressureSeconds()));
        }
        return b.toString();
    }

    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%.0f", perSecond);
    }
}

package io.wax.runtime;

import java.util.ArrayList;
import java.util.List;

/** The listing {@code wax:flows} and {@code bin/wax flows} print: one aligned row per flow. */
public final class FlowTable {
    private FlowTable() {
    }

    public static String format(List<FlowInfo> flows) {
        if (flows.isEmpty()) {
            return "no flows are deployed: drop a flow bundle into deploy/\n";
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"FLOW", "BUNDLE", "STATE"});
        for (FlowInfo f : flows) {
            rows.add(new String[] {f.signature(), (f.bundle() + " " + f.version()).strip(), f.runnable() ? "ready" : "broken: " + f.problem()});
        }
        int[] width = new int[2];
        for (String[] r : rows) {
            width[0] = Math.max(width[0], r[0].length());
            width[1] = Math.max(width[1], r[1].length());
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            b.append(pad(r[0], width[0])).append("  ").append(pad(r[1], width[1])).append("  ").append(r[2]).append('\n');
        }
        return b.toString();
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(w - s.length());
    }
}

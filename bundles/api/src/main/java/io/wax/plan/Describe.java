package io.wax.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Renders a {@link Plan} as JSON or as a Mermaid flowchart. Pure functions of the plan. */
public final class Describe {
    private Describe() {
    }

    /**
     * The plan as JSON: {@code {"flow": id, "steps": [{"id", "kind", "ups", "downs"}],
     * "scopes": [{"id", "operator"}]}}.
     */
    public static String json(Plan plan) {
        StringBuilder b = new StringBuilder();
        b.append("{\n  \"flow\": ").append(quote(plan.flowId())).append(",\n  \"steps\": [");
        String sep = "\n";
        for (Step s : plan.steps()) {
            b.append(sep).append("    {\"id\": ").append(quote(s.id()))
                    .append(", \"kind\": ").append(quote(s.kind()))
                    .append(", \"ups\": ").append(list(s.ups()))
                    .append(", \"downs\": ").append(list(s.downs())).append('}');
            sep = ",\n";
        }
        b.append("\n  ],\n  \"scopes\": [");
        sep = "\n";
        for (Scope s : plan.scopes()) {
            b.append(sep).append("    {\"id\": ").append(quote(s.id()))
                    .append(", \"operator\": ").append(quote(s.operator())).append('}');
            sep = ",\n";
        }
        return b.append("\n  ]\n}\n").toString();
    }

    /** The plan as a Mermaid flowchart: one node per core step, one edge per stream and reader. */
    public static String mermaid(Plan plan) {
        Map<String, String> writer = new HashMap<>();
        Map<String, String> node = new HashMap<>();
        List<String> lines = new ArrayList<>();
        lines.add("flowchart TD");
        int n = 0;
        for (Step s : plan.steps()) {
            String name = "s" + n++;
            node.put(s.id(), name);
            lines.add("    " + name + "[\"" + s.id() + " (" + s.kind() + ")\"]");
            for (String d : s.downs()) {
                writer.put(d, s.id());
            }
        }
        for (Step s : plan.steps()) {
            for (String up : s.ups()) {
                String from = writer.get(up);
                String label = up.substring(up.lastIndexOf('.') + 1);
                lines.add("    " + node.get(from) + " -->|" + label + "| " + node.get(s.id()));
            }
        }
        return String.join("\n", lines) + "\n";
    }

    private static String list(List<String> xs) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < xs.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(quote(xs.get(i)));
        }
        return b.append(']').toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}

package io.wax.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * The one parser of {@code describe GETTER [--format json|mermaid]} for {@code bin/wax describe}
 * and {@code wax:describe}.
 *
 * @param getter the flow getter, or {@code null} when only help was asked for
 * @param format {@code json} (the default) or {@code mermaid}
 * @param help whether {@code -h}/{@code --help} was given
 */
public record DescribeArgs(String getter, String format, boolean help) {
    public static final String USAGE = """
            usage: wax describe GETTER [--format json|mermaid]
              prints the flow's steps as JSON (the default) or as a Mermaid flowchart.
            """;

    /** @throws UsageException for an unknown flag, a bad format or a missing getter */
    public static DescribeArgs parse(List<String> args) {
        String format = "json";
        String formatGiven = null;
        boolean help = false;
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-h") || a.equals("--help")) {
                help = true;
            } else if (a.equals("--format") || a.equals("-f") || a.startsWith("--format=")) {
                if (formatGiven != null) {
                    throw new UsageException("--format is given twice ('" + formatGiven + "' and '" + a + "'); give it once");
                }
                formatGiven = a;
                if (a.startsWith("--format=")) {
                    format = a.substring("--format=".length());
                } else if (i + 1 >= args.size()) {
                    throw new UsageException(a + " needs a value: json or mermaid");
                } else {
                    format = args.get(++i);
                }
            } else if (a.startsWith("-")) {
                throw new UsageException("unknown flag '" + a + "'");
            } else {
                positional.add(a);
            }
        }
        if (!format.equals("json") && !format.equals("mermaid")) {
            throw new UsageException("--format must be json or mermaid, got '" + format + "'");
        }
        if (positional.size() > 1) {
            throw new UsageException("expected one flow getter, got " + String.join(" ", positional));
        }
        if (positional.isEmpty() && !help) {
            throw new UsageException("which flow? give a flow getter, e.g. wax describe simple");
        }
        if (!positional.isEmpty() && positional.get(0).isBlank()) {
            throw new UsageException("the flow getter is empty: give a deployed flow's name, e.g. wax describe simple");
        }
        return new DescribeArgs(positional.isEmpty() ? null : positional.get(0), format, help);
    }
}

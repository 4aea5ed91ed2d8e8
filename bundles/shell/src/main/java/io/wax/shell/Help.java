package io.wax.shell;

import io.wax.runtime.DescribeArgs;
import io.wax.runtime.RunArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.felix.service.command.CommandSession;

/** {@code help}: Wax's commands first, then every other command of the session by scope. */
final class Help {
    private static final Map<String, String> WAX = new java.util.LinkedHashMap<>();

    static {
        WAX.put("run", "run GETTER [-w N] [--epoch-interval D]   run a flow; quote getters with arguments: run 'parametric(5)'");
        WAX.put("flows", "flows                                      the deployed flows, and jars that have a problem");
        WAX.put("describe", "describe GETTER [--format json|mermaid]    a flow's steps");
        WAX.put("stop", "stop FLOW                                  stop a run of this shell at its next epoch boundary");
        WAX.put("recovery", "recovery init DIR N [--force] | info DIR   create or show a recovery store for run -r DIR");
        WAX.put("help", "help [COMMAND]                             this list, or one command's usage");
        WAX.put("exit", "exit                                       stop Wax and leave the shell");
    }

    private Help() {
    }

    static boolean isWax(String command) {
        String c = command.startsWith("wax:") ? command.substring(4) : command;
        return WAX.containsKey(c);
    }

    static String of(String command) {
        String c = command.startsWith("wax:") ? command.substring(4) : command;
        return switch (c) {
            case "run" -> RunArgs.USAGE.replace("wax run", "wax:run");
            case "describe" -> DescribeArgs.USAGE.replace("wax describe", "wax:describe");
            default -> "usage: wax:" + WAX.get(c).replaceFirst("\\s{2,}", "\n  ") + "\n";
        };
    }

    static String overview(CommandSession session) {
        StringBuilder b = new StringBuilder("Wax commands (the wax: prefix is optional):\n");
        for (String line : WAX.values()) {
            b.append("  ").append(line).append('\n');
        }
        b.append("Ctrl-C stops a run: its open epoch closes and everything computed is printed.\n");
        Map<String, List<String>> byScope = new TreeMap<>();
        Object commands = session.get(".commands");
        if (commands instanceof Set<?> all) {
            for (Object o : all) {
                String full = String.valueOf(o);
                int colon = full.indexOf(':');
                String scope = colon < 0 ? "" : full.substring(0, colon);
                String name = full.substring(colon + 1);
                if (!scope.equals("wax") && !name.startsWith("__")) {
                    byScope.computeIfAbsent(scope, k -> new ArrayList<>()).add(name);
                }
            }
        }
        if (!byScope.isEmpty()) {
            b.append("\nOther commands, by scope (help COMMAND for one):\n");
            for (Map.Entry<String, List<String>> e : byScope.entrySet()) {
                List<String> names = new ArrayList<>(e.getValue());
                names.sort(null);
                b.append("  ").append(e.getKey()).append(": ").append(String.join(" ", names)).append('\n');
            }
        }
        return b.toString();
    }
}

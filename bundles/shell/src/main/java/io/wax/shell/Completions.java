package io.wax.shell;

import io.wax.runtime.FlowInfo;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;

/**
 * Tab completion of flow getters: a flow's name, or {@code name(} for a flow with parameters, left
 * open (no space after it) so that the arguments follow. JLine {@link Candidate}s where JLine is
 * there (its import is optional), plain names otherwise.
 */
final class Completions {
    private Completions() {
    }

    static List<Object> of(List<FlowInfo> flows) {
        List<Object> out = new ArrayList<>();
        for (FlowInfo f : flows) {
            if (!f.runnable()) {
                continue;
            }
            String value = f.params().isEmpty() ? f.name() : f.name() + "(";
            out.add(candidate(value, f.params().isEmpty() ? null : String.join(", ", f.params())));
        }
        return out;
    }

    private static Object candidate(String value, String params) {
        try {
            return new Candidate(value, value, null, params, null, null, !value.endsWith("("));
        } catch (NoClassDefFoundError e) {
            return value;
        }
    }
}

package io.wax.engine.operators;

import static io.wax.engine.testkit.Flows.assertOutputs;
import static io.wax.engine.testkit.Flows.assertKeyedOutputs;
import static io.wax.engine.testkit.Flows.range;
import static io.wax.engine.testkit.Flows.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.*;
import io.wax.engine.testkit.Flows;
import java.util.*;
import org.junit.jupiter.api.Test;

/** stateful: a per-item logic with notify, EOF and discard. */
class StatefulTest {
    /** Counts values and reports the count at EOF. */
    static final class Counter implements StatefulLogic<String, String, Integer> {
        int n;

        Counter(Integer resume) {
            n = resume == null ? 0 : resume;
        }

        @Override
        public void onItem(String value, Emitter<String> out) {
            n++;
            if (value.equals("reset")) {
                out.emit("reset after " + n);
                out.discardState();
            }
        }

        @Override
        public void onEof(Emitter<String> out) {
            out.emit("count " + n);
        }

        @Override
        public Integer snapshot() {
            return n;
        }
    }

    @Test
    void countsAndResets() {
        List<KV<String>> in = List.of(KV.of("a", "x"), KV.of("a", "reset"), KV.of("a", "y"), KV.of("b", "x"));
        assertKeyedOutputs(List.of(KV.of("a", "reset after 2"), KV.of("a", "count 1"), KV.of("b", "count 1")),
                flow -> KeyedStream.of(flow.<KV<String>>input("inp", new io.wax.api.testing.TestingSource<>(in, 4)))
                        .stateful("count", Counter::new));
    }
}

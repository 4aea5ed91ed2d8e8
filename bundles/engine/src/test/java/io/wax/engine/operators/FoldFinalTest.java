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

/** fold_final: folds each key's values, emitting at EOF. */
class FoldFinalTest {
    @Test
    void concatenates() {
        List<KV<String>> in = List.of(KV.of("a", "x"), KV.of("b", "y"), KV.of("a", "z"));
        assertKeyedOutputs(List.of(KV.of("a", "xz"), KV.of("b", "y")),
                flow -> KeyedStream.of(flow.<KV<String>>input("inp", new io.wax.api.testing.TestingSource<>(in, 2)))
                        .foldFinal("cat", () -> "", (String acc, String v) -> acc + v));
    }
}

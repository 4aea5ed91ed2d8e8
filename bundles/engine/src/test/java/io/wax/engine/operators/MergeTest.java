package io.wax.engine.operators;

import static io.wax.engine.testkit.Flows.assertOutputs;
import static io.wax.engine.testkit.Flows.range;
import static io.wax.engine.testkit.Flows.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.*;
import io.wax.api.io.*;
import io.wax.api.testing.*;
import io.wax.engine.testkit.Flows;
import java.util.*;
import org.junit.jupiter.api.Test;

/** merge: several streams into one. */
class MergeTest {
    @Test
    void mergesThreeStreams() {
        assertOutputs(List.of(1, 2, 10, 20, 100), flow -> {
            Stream<Integer> a = flow.input("a", source(List.of(1, 2), 2));
            Stream<Integer> b = flow.input("b", source(List.of(10, 20), 1));
            Stream<Integer> c = flow.input("c", source(List.of(100), 1));
            return a.merge("merge", List.of(b, c));
        });
    }

    @Test
    void aStreamMayFeedSeveralSteps() {
        assertOutputs(List.of(0, 1, 0, 2), flow -> {
            Stream<Integer> s = flow.input("inp", source(range(2), 1));
            return s.merge("merge", List.of(s.map("double", x -> x * 2)));
        });
    }
}

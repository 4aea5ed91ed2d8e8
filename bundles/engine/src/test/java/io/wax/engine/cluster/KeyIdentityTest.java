package io.wax.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.Update;
import io.wax.api.io.DynamicSource;
import io.wax.api.io.StatelessSourcePartition;
import io.wax.api.testing.TestingSink;
import io.wax.engine.Runner;
import io.wax.engine.testkit.Flows;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A key decoded from another process's frame is the very {@code String} the stateful step holds
 * for it, so that the step's lookup matches it by identity: also when the step's keys outnumber
 * the slots of the string cache that decodes them (it then consults the step's key table).
 */
class KeyIdentityTest {
    /** More distinct keys than the decoding cache's 4,096 slots, on either process. */
    private static final int KEYS = 12_000;
    private static final int ROUNDS = 4;

    @Test
    void aDecodedKeyIsTheInstanceTheStatefulStepHolds() {
        List<TestingSink<KV<Boolean>>> sinks = List.of(new TestingSink<>(), new TestingSink<>());
        Runner.runCluster(p -> flow(p, sinks.get(p)), 2, Flows.options(1));
        // Process 0 reads nothing: every item its step sees was decoded from a frame of process 1.
        List<KV<Boolean>> seen = sinks.get(0).items();
        assertTrue(seen.size() > KEYS, "process 0 owns a share of the keys: " + seen.size());
        List<String> notSame = new ArrayList<>();
        for (KV<Boolean> kv : seen) {
            if (!kv.value()) {
                notSame.add(kv.key());
            }
        }
        assertEquals(List.of(), notSame.subList(0, Math.min(10, notSame.size())),
                notSame.size() + " of " + seen.size() + " decoded values were not the instance the step held for their key");
    }

    /**
     * Keys the words themselves; the step keeps the first value of each key (the key's own string)
     * and says of every later one whether it is that same instance.
     */
    private static Dataflow flow(int process, TestingSink<KV<Boolean>> sink) {
        Dataflow flow = new Dataflow("identity");
        flow.input("inp", (DynamicSource<String>) ctx -> new StatelessSourcePartition<>() {
            int round = process == 0 ? ROUNDS : 0;

            @Override
            public List<String> nextBatch() {
                if (round == ROUNDS) {
                    return null;
                }
                round++;
                List<String> out = new ArrayList<>(KEYS);
                for (int k = 0; k < KEYS; k++) {
                    out.add("key-" + k);
                }
                return out;
            }
        }).keyOn("key", w -> w)
                .statefulMap("same", (String first, String w) -> Update.of(first == null ? w : first, first == null || first == w))
                .output("out", sink);
        return flow;
    }
}

package io.wax.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.Update;
import io.wax.api.codec.ByteReader;
import io.wax.api.codec.ByteWriter;
import io.wax.api.codec.Codec;
import io.wax.api.testing.TestingSink;
import io.wax.engine.InMemoryRecoveryStore;
import io.wax.engine.Runner;
import io.wax.engine.testkit.Flows;
import io.wax.spi.engine.FlowAbortedException;
import io.wax.spi.engine.FlowFailedException;
import io.wax.spi.engine.RunOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A flow run as several processes in one JVM through the loopback transport: items that cross
 * processes are encoded and decoded by the flow's codecs, a missing codec is named, a failure in
 * one process stops every process, and processes that built different flows refuse to start.
 */
class LoopbackClusterTest {
    /** A type of the test's own, with a codec that counts its calls. */
    record Word(String text) {
    }

    static final AtomicInteger ENCODED = new AtomicInteger();
    static final AtomicInteger DECODED = new AtomicInteger();

    static final Codec<Word> COUNTING = new Codec<>() {
        @Override
        public void encode(Word w, ByteWriter out) {
            ENCODED.incrementAndGet();
            out.writeString(w.text());
        }

        @Override
        public Word decode(ByteReader in) {
            DECODED.incrementAndGet();
            return new Word(in.readString());
        }
    };

    private static List<String> words(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("w" + (i % 17));
        }
        return out;
    }

    private static Dataflow wordCount(TestingSink<KV<Long>> sink, boolean register) {
        Dataflow flow = new Dataflow("count");
        if (register) {
            flow.codecs().register(Word.class, COUNTING);
        }
        flow.<String>input("inp", Flows.source(words(200), 4)).map("wrap", Word::new)
                .keyOn("key", Word::text)
                .statefulMap("count", (Long n, Word w) -> Update.of(n == null ? 1L : n + 1, n == null ? 1L : n + 1))
                .output("out", sink);
        return flow;
    }

    @Test
    void itemsThatCrossProcessesGoThroughTheCodecsAndGiveTheSameResults() {
        TestingSink<KV<Long>> one = new TestingSink<>();
        Runner.run(wordCount(one, true), Flows.options(2));
        ENCODED.set(0);
        DECODED.set(0);
        List<TestingSink<KV<Long>>> sinks = List.of(new TestingSink<>(), new TestingSink<>());
        Runner.runCluster(p -> wordCount(sinks.get(p), true), 2, Flows.options(2));
        List<KV<Long>> all = new ArrayList<>(sinks.get(0).items());
        all.addAll(sinks.get(1).items());
        assertEquals(Flows.multiset(one.items()), Flows.multiset(all));
        assertEquals(Flows.byKey(one.items()), Flows.byKey(all), "each key's counts in order");
        assertTrue(ENCODED.get() > 0, "some words crossed processes");
        assertEquals(ENCODED.get(), DECODED.get(), "every encoded word was decoded once");
        assertTrue(ENCODED.get() < 200, "words exchanged within a process are not encoded: " + ENCODED.get());
    }

    @Test
    void anItemWithoutACodecNamesTheStepTheClassAndTheLineToAdd() {
        FlowFailedException e = assertThrows(FlowFailedException.class,
                () -> Runner.runCluster(p -> wordCount(new TestingSink<>(), false), 2, Flows.options(2)));
        // The step the item was on its way to: keyed exchange into the stateful step.
        assertTrue(e.getMessage().contains("step 'count.count.stateful_batch'"), e.getMessage());
        assertTrue(e.getMessage().contains(Word.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("flow.codecs().register(Word.class)"), e.getMessage());
    }

    @Test
    void stateWithoutACodecNamesTheStatefulStep() {
        record Total(long n) {
        }
        Dataflow flow = new Dataflow("state");
        flow.<String>input("inp", Flows.source(words(20), 2)).keyOn("key", w -> w)
                .statefulMap("sum", (Total t, String w) -> Update.of(new Total(t == null ? 1 : t.n() + 1), w))
                .output("out", new TestingSink<>());
        FlowFailedException e = assertThrows(FlowFailedException.class, () -> Runner.run(flow,
                Flows.options(2).withRecovery(new InMemoryRecoveryStore())));
        assertTrue(e.getMessage().contains("state.sum"), e.getMessage());
        assertTrue(e.getMessage().contains("flow.codecs().register(Total.class)"), e.getMessage());
    }

    @Test
    void aFailureInOneProcessStopsEveryProcessWithItsStepWorkerAndEpoch() {
        FlowFailedException e = assertThrows(FlowFailedException.class, () -> Runner.runCluster(p -> {
            Dataflow flow = new Dataflow("boom");
            flow.<Integer>input("inp", Flows.source(Flows.range(40), 4)).keyOn("key", x -> "k" + x % 7)
                    .mapValue("explode", x -> {
                        if (x == 33) {
                            throw new IllegalStateException("thirty-three");
                        }
                        return x;
                    }).output("out", new TestingSink<>());
            return flow;
        }, 2, Flows.options(2).withEpochInterval(Duration.ofMillis(20))));
        assertTrue(e.getMessage().contains("boom.explode"), e.getMessage());
        assertTrue(e.getMessage().contains("thirty-three"), e.getMessage());
        assertTrue(e.getMessage().contains("on worker"), e.getMessage());
    }

    @Test
    void processesThatBuiltDifferentFlowsRefuseToStart() {
        FlowAbortedException e = assertThrows(FlowAbortedException.class, () -> Runner.runCluster(p -> {
            Dataflow flow = new Dataflow("f");
            var s = flow.<Integer>input("inp", Flows.source(Flows.range(4), 1));
            (p == 0 ? s : s.map("extra", x -> x)).output("out", new TestingSink<>());
            return flow;
        }, 2, Flows.options(1)));
        assertTrue(e.getMessage().contains("fingerprints differ"), e.getMessage());
    }

    @Test
    void differentWorkerCountsAreNamedWithBothValues() {
        // Two processes of one cluster run the same flow; the hello of each names its -w.
        io.wax.spi.transport.Hello a = new io.wax.spi.transport.Hello(1, 0, 2, 2, "f", "", 7, 9);
        io.wax.spi.transport.Hello b = new io.wax.spi.transport.Hello(1, 1, 2, 3, "f", "", 7, 9);
        assertEquals(List.of("workers per process: this process (0) runs -w2, process 1 runs -w3"), a.differences(b, 1));
        assertEquals(List.of("process id: two processes both claim id 0"), a.differences(a, 1));
    }
}

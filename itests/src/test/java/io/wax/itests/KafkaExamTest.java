package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.wax.api.Dataflow;
import io.wax.api.testing.TestingSink;
import io.wax.api.testing.TestingSource;
import io.wax.connectors.kafka.KafkaHeader;
import io.wax.connectors.kafka.KafkaMessage;
import io.wax.connectors.kafka.KafkaSerdes;
import io.wax.connectors.kafka.KafkaSink;
import io.wax.connectors.kafka.KafkaSinkConfig;
import io.wax.connectors.kafka.KafkaSinkMessage;
import io.wax.connectors.kafka.KafkaSource;
import io.wax.connectors.kafka.KafkaSourceConfig;
import io.wax.spi.engine.RunOptions;
import io.wax.engine.Runner;
import io.wax.runtime.FlowInfo;
import io.wax.runtime.RunFlags;
import io.wax.runtime.WaxRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The Kafka connector bundle (kafka-clients embedded) and the kafka-wordcount flow bundle in a real
 * Felix with the distribution's bundles, against a real broker started outside the framework.
 * Every client is built on worker threads whose context loader is a flow bundle's (the runtime
 * sets it so), which is what the connector's TCCL switch is for.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KafkaExamTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Inject
    private WaxRuntime runtime;

    @Configuration
    public Option[] config() throws IOException {
        List<Option> o = new ArrayList<>(List.of(ExamSetup.options()));
        // The connector is in the distribution's bundle/ (installed by ExamSetup); the example
        // flow bundle is in its deploy/, as a user would find it.
        o.add(bundle(ExamSetup.dist().resolve("deploy/wax-examples-kafka.jar").toUri().toString()));
        o.add(systemProperty("wax.kafka.bootstrap").value(KafkaExamBroker.bootstrap()));
        return o.toArray(new Option[0]);
    }

    private static String brokers() {
        return System.getProperty("wax.kafka.bootstrap");
    }

    @Test
    public void sinkAndSourceRoundTripInsideTheFramework() {
        List<KafkaSinkMessage<String, String>> msgs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            msgs.add(KafkaSinkMessage.of("k" + i, "v" + i).withTimestamp(5_000L + i)
                    .withHeaders(List.of(KafkaHeader.of("n", Integer.toString(i)))));
        }
        Dataflow write = new Dataflow("osgi_write");
        write.input("inp", new TestingSource<KafkaSinkMessage<String, String>>(msgs, 25)).output("out",
                new KafkaSink<>(KafkaSinkConfig.builder(List.of(brokers()), KafkaExamBroker.IN)
                        .serdes(KafkaSerdes.string(), KafkaSerdes.string()).build()));
        Runner.run(write, RunOptions.defaults().withWorkers(2));

        List<KafkaMessage<String, String>> got = readAll(KafkaExamBroker.IN, 3);
        assertEquals(200, got.size());
        got.sort(Comparator.comparingLong(KafkaMessage::timestamp));
        for (int i = 0; i < 200; i++) {
            assertEquals("k" + i, got.get(i).key());
            assertEquals("v" + i, got.get(i).value());
            assertEquals(Integer.toString(i), got.get(i).header("n").valueAsString());
        }
    }

    @Test
    public void kafkaWordcountIsDeployedAndCountsWords() throws Exception {
        FlowInfo info = runtime.flows().stream().filter(f -> f.name().equals("kafka-wordcount")).findFirst()
                .orElseThrow(() -> new AssertionError("kafka-wordcount not listed: " + runtime.flows()));
        assertTrue(info.problem(), info.runnable());
        assertEquals(List.of("String brokers", "String in_topic", "String out_topic"), info.params());

        Dataflow lines = new Dataflow("osgi_lines");
        lines.input("inp", new TestingSource<KafkaSinkMessage<String, String>>(List.of(
                KafkaSinkMessage.of(null, "to be or"), KafkaSinkMessage.of(null, "not to be")))).output("out",
                new KafkaSink<>(KafkaSinkConfig.builder(List.of(brokers()), KafkaExamBroker.WC_IN)
                        .serdes(KafkaSerdes.string(), KafkaSerdes.string()).build()));
        Runner.run(lines, RunOptions.defaults());

        // The deployed flow tails its input: run it on a thread, wait for the counts, then stop it.
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread run = new Thread(() -> {
            try {
                runtime.run("kafka-wordcount(\"" + brokers() + "\",\"" + KafkaExamBroker.WC_IN + "\",\""
                        + KafkaExamBroker.WC_OUT + "\")", RunFlags.defaults().withWorkers(2),
                        new PrintStream(new ByteArrayOutputStream()), new ByteArrayInputStream(new byte[0]));
            } catch (Throwable t) {
                ended.set(t);
            }
        }, "kafka-wordcount-run");
        run.start();
        Map<String, String> expected = Map.of("to", "2", "be", "2", "or", "1", "not", "1");
        Map<String, String> latest = new HashMap<>();
        try {
            Await.until(DEADLINE, () -> {
                latest.clear();
                for (KafkaMessage<String, String> m : readAll(KafkaExamBroker.WC_OUT, 1)) {
                    latest.put(m.key(), m.value());
                }
                return latest.equals(expected) || !run.isAlive();
            }, () -> "counts so far: " + latest + ", run ended with " + ended.get());
            assertTrue("the flow ended early: " + ended.get(), run.isAlive());
        } finally {
            run.interrupt();
            run.join(30_000);
        }
        assertEquals(expected, latest);
        assertTrue("kafka-wordcount did not stop when interrupted", !run.isAlive());
    }

    /** Everything the topic holds now, read through the connector with a bounded source. */
    private static List<KafkaMessage<String, String>> readAll(String topic, int workers) {
        TestingSink<KafkaMessage<String, String>> out = new TestingSink<>();
        Dataflow read = new Dataflow("osgi_read");
        new KafkaSource<>(KafkaSourceConfig.builder(List.of(brokers()), List.of(topic))
                .serdes(KafkaSerdes.string(), KafkaSerdes.string()).tail(false).build()).read(read, "inp").oks()
                .output("out", out);
        Runner.run(read, RunOptions.defaults().withWorkers(workers));
        return new ArrayList<>(out.items());
    }
}

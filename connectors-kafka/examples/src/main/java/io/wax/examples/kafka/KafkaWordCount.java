package io.wax.examples.kafka;

import io.wax.api.Dataflow;
import io.wax.api.Update;
import io.wax.api.flow.FlowFactory;
import io.wax.connectors.kafka.KafkaInput;
import io.wax.connectors.kafka.KafkaMessage;
import io.wax.connectors.kafka.KafkaSerdes;
import io.wax.connectors.kafka.KafkaSink;
import io.wax.connectors.kafka.KafkaSinkConfig;
import io.wax.connectors.kafka.KafkaSinkMessage;
import io.wax.connectors.kafka.KafkaSource;
import io.wax.connectors.kafka.KafkaSourceConfig;
import java.util.Arrays;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * {@code kafka-wordcount(brokers, in_topic, out_topic)}: reads lines from {@code in_topic}, splits
 * them into words and writes a running count per word to {@code out_topic}, keyed by the word (the
 * latest message of a key holds its total). It tails the input until stopped; messages that are
 * not UTF-8 text are logged and skipped rather than stopping the flow.
 *
 * <pre>
 * wax:run kafka-wordcount("127.0.0.1:9092","lines","counts") -w2
 * </pre>
 */
@Component(service = FlowFactory.class)
public final class KafkaWordCount implements FlowFactory {
    @Override
    public String name() {
        return "kafka-wordcount";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("brokers", String.class), new Param("in_topic", String.class),
                new Param("out_topic", String.class));
    }

    @Override
    public Dataflow build(List<Object> args) {
        return flow((String) args.get(0), (String) args.get(1), (String) args.get(2), true);
    }

    /**
     * {@code kafka-wordcount-eos(brokers, in_topic, out_topic)}: the same flow with an exactly-once
     * sink; run it with recovery ({@code -r DIR}).
     */
    @Component(service = FlowFactory.class)
    public static final class ExactlyOnce implements FlowFactory {
        @Override
        public String name() {
            return "kafka-wordcount-eos";
        }

        @Override
        public List<Param> params() {
            return new KafkaWordCount().params();
        }

        @Override
        public Dataflow build(List<Object> args) {
            return flow((String) args.get(0), (String) args.get(1), (String) args.get(2), true, true);
        }
    }

    /**
     * The flow; {@code tail=false} reads what the input topic holds when the flow starts and ends.
     *
     * @param brokers comma-separated bootstrap servers
     */
    public static Dataflow flow(String brokers, String inTopic, String outTopic, boolean tail) {
        return flow(brokers, inTopic, outTopic, tail, false);
    }

    /**
     * The flow; {@code exactlyOnce} writes the counts in Kafka transactions committed at durable
     * snapshots (needs recovery; readers use {@code isolation.level=read_committed}), with the
     * transactional id prefix {@code kafka-wordcount-<out_topic>}.
     */
    public static Dataflow flow(String brokers, String inTopic, String outTopic, boolean tail, boolean exactlyOnce) {
        List<String> servers = Arrays.stream(brokers.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        Dataflow flow = new Dataflow("kafka_wordcount");
        KafkaInput<String, String> in = new KafkaSource<>(KafkaSourceConfig.builder(servers, List.of(inTopic))
                .serdes(KafkaSerdes.string(), KafkaSerdes.string()).tail(tail).raiseOnErrors(false).build())
                .read(flow, "inp");
        in.errs().inspect("skipped", (where, e) -> System.err.println("kafka-wordcount: skipped " + e));
        var counts = in.oks()
                .filterMap("lines", KafkaMessage::value)
                .flatMap("split", (String line) -> Arrays.stream(line.trim().split("\\s+"))
                        .filter(w -> !w.isEmpty()).toList())
                .keyOn("key", w -> w)
                .statefulMap("count", (Long seen, String w) -> {
                    long n = seen == null ? 1 : seen + 1;
                    return Update.of(n, n);
                });
        KafkaSinkConfig.Builder<String, String> out = KafkaSinkConfig.builder(servers, outTopic)
                .serdes(KafkaSerdes.string(), KafkaSerdes.string());
        if (exactlyOnce) {
            out.guarantee(KafkaSinkConfig.Guarantee.EXACTLY_ONCE).transactionalIdPrefix("kafka-wordcount-" + outTopic);
        }
        new KafkaSink<>(out.build()).write(counts.map("to_message",
                kv -> KafkaSinkMessage.of(kv.key(), Long.toString(kv.value()))), "out");
        return flow;
    }
}

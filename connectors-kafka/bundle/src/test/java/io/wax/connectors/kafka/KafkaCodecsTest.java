package io.wax.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.Update;
import io.wax.api.codec.CodecRegistry;
import io.wax.api.codec.Codecs;
import io.wax.api.codec.DecodeException;
import io.wax.api.testing.TestingSink;
import io.wax.engine.Runner;
import io.wax.kafka.broker.LocalKafka;
import io.wax.kafka.broker.LocalKafkaExtension;
import io.wax.spi.engine.RunOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The source's items have codecs of their own: a {@link KafkaMessage} or {@link KafkaError} comes
 * back from its bytes as it was, malformed bytes give a {@link DecodeException} (never a huge
 * allocation), and a flow that moves raw messages through a keyed exchange runs on a cluster.
 */
@ExtendWith(LocalKafkaExtension.class)
class KafkaCodecsTest {
    private static CodecRegistry registry() {
        Codecs codecs = new Codecs();
        new KafkaSource<>(KafkaSourceConfig.builder(List.of("127.0.0.1:9092"), List.of("t")).build())
                .registerCodecs(codecs);
        return codecs.registry();
    }

    @Test
    void messagesAndErrorsComeBackAsTheyWere() {
        CodecRegistry r = registry();
        KafkaMessage<String, String> m = new KafkaMessage<>("orders", 3, 17, 1_700_000_000_123L, "k\u00e9y", "v\u4e00",
                List.of(KafkaHeader.of("trace", "abc"), new KafkaHeader("empty", null), KafkaHeader.of("trace", "")));
        assertEquals(m, r.decode(r.encode(m)));

        KafkaMessage<?, ?> noKey = (KafkaMessage<?, ?>) r.decode(r.encode(
                new KafkaMessage<>("t", 0, 0, -1, null, 42L, null)));
        assertNull(noKey.key());
        assertEquals(42L, noKey.value());
        assertEquals(-1, noKey.timestamp());
        assertEquals(List.of(), noKey.headers());

        KafkaMessage<?, ?> bytes = (KafkaMessage<?, ?>) r.decode(r.encode(
                new KafkaMessage<>("t", 1, 5, 9, new byte[] {1, 2}, new byte[0], null)));
        assertArrayEquals(new byte[] {1, 2}, (byte[]) bytes.key());
        assertArrayEquals(new byte[0], (byte[]) bytes.value());

        KafkaError e = new KafkaError("orders", 2, -1, "consumer failed: boom", null, new byte[] {7},
                List.of(KafkaHeader.of("h", "x")));
        KafkaError back = (KafkaError) r.decode(r.encode(e));
        assertEquals(e.toString(), back.toString());
        assertEquals(e.error(), back.error());
        assertNull(back.key());
        assertArrayEquals(new byte[] {7}, back.value());
        assertEquals(e.headers(), back.headers());
    }

    @Test
    void truncatedOrHostileBytesGiveADecodeException() {
        CodecRegistry r = registry();
        byte[] good = r.encode(new KafkaMessage<>("orders", 3, 17, 5, "key", "value",
                List.of(KafkaHeader.of("trace", "abc"))));
        for (int n = 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            assertThrows(DecodeException.class, () -> r.decode(cut), "cut at " + n + " of " + good.length);
        }
        // Without headers the last byte is the header count, 0: claim two billion headers instead.
        byte[] none = r.encode(new KafkaMessage<>("orders", 3, 17, 5, "key", "value", null));
        assertEquals(0, none[none.length - 1]);
        byte[] hostile = Arrays.copyOf(none, none.length + 4);
        System.arraycopy(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07}, 0, hostile,
                none.length - 1, 5);
        assertThrows(DecodeException.class, () -> r.decode(hostile));
    }

    @Test
    void rawMessagesCrossProcessesThroughAKeyedExchange(LocalKafka kafka) throws Exception {
        String topic = Kafkas.topic(kafka, "codec-cluster", 4);
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        Map<String, Integer> perKey = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            String key = "k" + (i % 13);
            perKey.merge(key, 1, Integer::sum);
            records.add(new ProducerRecord<>(topic, i % 4, 1_000L + i, key, "v" + i,
                    List.of(new RecordHeader("i", Integer.toString(i).getBytes()))));
        }
        Kafkas.send(kafka, records);
        TestingSink<KV<KafkaMessage<String, String>>> out = new TestingSink<>();
        // 2 processes of 2 workers over the loopback transport: a message read by a worker of one
        // process goes to the worker of its key, in either process, encoded by the source's codecs.
        Runner.runCluster(p -> {
            Dataflow flow = new Dataflow("codec_cluster");
            new KafkaSource<>(Kafkas.strings(kafka, topic).tail(false).build()).read(flow, "inp").oks()
                    .keyOn("by_key", KafkaMessage::key)
                    .statefulMap("number", (Integer seen, KafkaMessage<String, String> m) -> {
                        int n = seen == null ? 1 : seen + 1;
                        return Update.of(n, KV.of(Integer.toString(n), m));
                    })
                    .map("unwrap", kv -> kv.value())
                    .output("out", out);
            return flow;
        }, 2, RunOptions.defaults().withWorkers(2).withEpochInterval(Duration.ofMillis(100)));
        List<KV<KafkaMessage<String, String>>> got = out.items();
        assertEquals(400, got.size());
        Map<String, Integer> highest = new HashMap<>();
        for (KV<KafkaMessage<String, String>> kv : got) {
            KafkaMessage<String, String> m = kv.value();
            int i = Integer.parseInt(m.value().substring(1));
            assertEquals(topic, m.topic());
            assertEquals(i % 4, m.partition());
            assertEquals(1_000L + i, m.timestamp());
            assertEquals("k" + (i % 13), m.key());
            assertEquals(Integer.toString(i), m.header("i").valueAsString());
            highest.merge(m.key(), Integer.parseInt(kv.key()), Math::max);
        }
        // Every key was counted in one place: its highest number is its message count.
        assertEquals(perKey, highest);
    }
}

package io.wax.connectors.kafka.internal;

import io.wax.api.codec.ByteReader;
import io.wax.api.codec.ByteWriter;
import io.wax.api.codec.Codec;
import io.wax.api.codec.Codecs;
import io.wax.connectors.kafka.KafkaError;
import io.wax.connectors.kafka.KafkaHeader;
import io.wax.connectors.kafka.KafkaMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Explicit codecs for what a {@code KafkaSource} emits, so that its items can cross to a worker of
 * another process (a keyed exchange in a cluster) or be kept in state: fields in a fixed order,
 * keys and values with {@link ByteWriter#writeObject} (any type the flow can encode: the
 * deserialised key and value, whatever the serdes made of them), headers as name and optional
 * bytes. Written by hand rather than derived from the records so that the layout is fixed and
 * the header list's length is checked against the bytes left before anything is allocated.
 */
public final class KafkaCodecs {
    private KafkaCodecs() {
    }

    /** Registers the source's item types: {@link KafkaMessage}, {@link KafkaError}, {@link KafkaHeader}. */
    public static void register(Codecs codecs) {
        codecs.register(KafkaHeader.class, HEADER)
                .register(KafkaMessage.class, MESSAGE)
                .register(KafkaError.class, ERROR);
    }

    static final Codec<KafkaHeader> HEADER = new Codec<>() {
        @Override
        public void encode(KafkaHeader h, ByteWriter out) {
            out.writeString(h.key());
            writeNullableBytes(h.value(), out);
        }

        @Override
        public KafkaHeader decode(ByteReader in) {
            return new KafkaHeader(in.readString(), readNullableBytes(in));
        }
    };

    @SuppressWarnings({"rawtypes", "unchecked"})
    static final Codec<KafkaMessage> MESSAGE = new Codec<>() {
        @Override
        public void encode(KafkaMessage m, ByteWriter out) {
            out.writeString(m.topic());
            out.writeVarInt(m.partition());
            out.writeSignedVarLong(m.offset());
            out.writeSignedVarLong(m.timestamp());
            out.writeObject(m.key());
            out.writeObject(m.value());
            writeHeaders(m.headers(), out);
        }

        @Override
        public KafkaMessage decode(ByteReader in) {
            return new KafkaMessage(in.readString(), in.readVarInt(), in.readSignedVarLong(), in.readSignedVarLong(),
                    in.readObject(), in.readObject(), readHeaders(in));
        }
    };

    static final Codec<KafkaError> ERROR = new Codec<>() {
        @Override
        public void encode(KafkaError e, ByteWriter out) {
            out.writeString(e.topic());
            out.writeVarInt(e.partition());
            out.writeSignedVarLong(e.offset());
            out.writeString(e.error());
            writeNullableBytes(e.key(), out);
            writeNullableBytes(e.value(), out);
            writeHeaders(e.headers(), out);
        }

        @Override
        public KafkaError decode(ByteReader in) {
            return new KafkaError(in.readString(), in.readVarInt(), in.readSignedVarLong(), in.readString(),
                    readNullableBytes(in), readNullableBytes(in), readHeaders(in));
        }
    };

    private static void writeHeaders(List<KafkaHeader> hs, ByteWriter out) {
        out.writeVarInt(hs.size());
        for (KafkaHeader h : hs) {
            HEADER.encode(h, out);
        }
    }

    private static List<KafkaHeader> readHeaders(ByteReader in) {
        int n = in.readCount(2); // a name's length and the value's presence, at least
        List<KafkaHeader> hs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            hs.add(HEADER.decode(in));
        }
        return hs;
    }

    private static void writeNullableBytes(byte[] b, ByteWriter out) {
        out.writeBoolean(b != null);
        if (b != null) {
            out.writeBytes(b);
        }
    }

    private static byte[] readNullableBytes(ByteReader in) {
        return in.readBoolean() ? in.readBytes() : null;
    }
}

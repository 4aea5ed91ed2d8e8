package io.wax.api.internal.codec;

import io.wax.api.KV;
import io.wax.api.LongBatch;
import io.wax.api.codec.ByteReader;
import io.wax.api.codec.ByteWriter;
import io.wax.api.codec.Codec;
import io.wax.api.codec.DecodeException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The codecs of the built-in types. Each is small; what they share is that decoding checks sizes
 * against the bytes left (through {@link ByteReader}) before allocating.
 */
public final class BuiltIns {
    private BuiltIns() {
    }

    public static final Codec<Boolean> BOOLEAN = of((v, o) -> o.writeBoolean(v), ByteReader::readBoolean);
    public static final Codec<Byte> BYTE = of((v, o) -> o.writeByte(v), ByteReader::readByte);
    public static final Codec<Short> SHORT = of((v, o) -> o.writeSignedVarInt(v), i -> {
        int v = i.readSignedVarInt();
        if (v != (short) v) {
            throw new DecodeException("not a short: " + v);
        }
        return (short) v;
    });
    public static final Codec<Character> CHAR = of((v, o) -> o.writeVarInt(v), i -> {
        int v = i.readVarInt();
        if (v != (char) v) {
            throw new DecodeException("not a char: " + v);
        }
        return (char) v;
    });
    public static final Codec<Integer> INT = of((v, o) -> o.writeSignedVarInt(v), ByteReader::readSignedVarInt);
    public static final Codec<Long> LONG = of((v, o) -> o.writeSignedVarLong(v), ByteReader::readSignedVarLong);
    public static final Codec<Float> FLOAT = of((v, o) -> o.writeFloat(v), ByteReader::readFloat);
    public static final Codec<Double> DOUBLE = of((v, o) -> o.writeDouble(v), ByteReader::readDouble);
    public static final Codec<String> STRING = of((v, o) -> o.writeString(v), ByteReader::readString);
    public static final Codec<byte[]> BYTES = of((v, o) -> o.writeBytes(v), ByteReader::readBytes);

    public static final Codec<long[]> LONGS = of((v, o) -> {
        o.writeVarInt(v.length);
        for (long x : v) {
            o.writeSignedVarLong(x);
        }
    }, i -> {
        long[] v = new long[i.readCount(1)];
        for (int k = 0; k < v.length; k++) {
            v[k] = i.readSignedVarLong();
        }
        return v;
    });
    public static final Codec<int[]> INTS = of((v, o) -> {
        o.writeVarInt(v.length);
        for (int x : v) {
            o.writeSignedVarInt(x);
        }
    }, i -> {
        int[] v = new int[i.readCount(1)];
        for (int k = 0; k < v.length; k++) {
            v[k] = i.readSignedVarInt();
        }
        return v;
    });
    public static final Codec<double[]> DOUBLES = of((v, o) -> {
        o.writeVarInt(v.length);
        for (double x : v) {
            o.writeDouble(x);
        }
    }, i -> {
        double[] v = new double[i.readCount(8)];
        for (int k = 0; k < v.length; k++) {
            v[k] = i.readDouble();
        }
        return v;
    });

    public static final Codec<Instant> INSTANT = of((v, o) -> o.writeSignedVarLong(v.getEpochSecond()).writeVarInt(v.getNano()),
            i -> decoding("an Instant", () -> Instant.ofEpochSecond(i.readSignedVarLong(), i.readVarInt())));
    public static final Codec<Duration> DURATION = of((v, o) -> o.writeSignedVarLong(v.getSeconds()).writeVarInt(v.getNano()),
            i -> decoding("a Duration", () -> Duration.ofSeconds(i.readSignedVarLong(), i.readVarInt())));
    public static final Codec<LocalDate> LOCAL_DATE = of((v, o) -> o.writeSignedVarLong(v.toEpochDay()),
            i -> decoding("a LocalDate", () -> LocalDate.ofEpochDay(i.readSignedVarLong())));
    public static final Codec<LocalDateTime> LOCAL_DATE_TIME = of(
            (v, o) -> o.writeSignedVarLong(v.toLocalDate().toEpochDay()).writeVarLong(v.toLocalTime().toNanoOfDay()),
            i -> decoding("a LocalDateTime", () -> LocalDateTime.of(LocalDate.ofEpochDay(i.readSignedVarLong()),
                    LocalTime.ofNanoOfDay(i.readVarLong()))));
    public static final Codec<UUID> UUID_CODEC = of((v, o) -> o.writeLong(v.getMostSignificantBits()).writeLong(v.getLeastSignificantBits()),
            i -> new UUID(i.readLong(), i.readLong()));
    public static final Codec<BigInteger> BIG_INTEGER = of((v, o) -> o.writeBytes(v.toByteArray()), i -> {
        byte[] b = i.readBytes();
        if (b.length == 0) {
            throw new DecodeException("a BigInteger needs at least one byte");
        }
        return new BigInteger(b);
    });
    public static final Codec<BigDecimal> BIG_DECIMAL = of((v, o) -> {
        o.writeSignedVarInt(v.scale());
        BIG_INTEGER.encode(v.unscaledValue(), o);
    }, i -> {
        int scale = i.readSignedVarInt();
        return new BigDecimal(BIG_INTEGER.decode(i), scale);
    });

    public static final Codec<Optional<?>> OPTIONAL = of((v, o) -> {
        o.writeBoolean(v.isPresent());
        if (v.isPresent()) {
            o.writeObject(v.get());
        }
    }, i -> i.readBoolean() ? Optional.ofNullable(i.readObject()) : Optional.empty());

    public static final Codec<List<?>> LIST = of(BuiltIns::writeElements, i -> readElements(i, new ArrayList<>()));
    public static final Codec<java.util.Set<?>> SET = of(BuiltIns::writeElements, i -> readElements(i, new LinkedHashSet<>()));
    public static final Codec<java.util.SortedSet<?>> SORTED_SET = of(BuiltIns::writeElements,
            i -> decoding("a sorted set", () -> readElements(i, new TreeSet<>())));
    public static final Codec<Map<?, ?>> MAP = of(BuiltIns::writeEntries, i -> readEntries(i, new LinkedHashMap<>()));
    public static final Codec<java.util.SortedMap<?, ?>> SORTED_MAP = of(BuiltIns::writeEntries,
            i -> decoding("a sorted map", () -> readEntries(i, new TreeMap<>())));

    public static final Codec<KV<?>> KV_CODEC = of((v, o) -> o.writeString(v.key()).writeObject(v.value()),
            i -> new KV<>(i.readString(), i.readObject()));
    public static final Codec<LongBatch> LONG_BATCH = of((v, o) -> {
        int n = v.size();
        o.writeVarInt(n);
        for (int k = 0; k < n; k++) {
            o.writeSignedVarLong(v.getLong(k));
        }
    }, i -> {
        int n = i.readCount(1);
        LongBatch b = new LongBatch(n);
        for (int k = 0; k < n; k++) {
            b.add(i.readSignedVarLong());
        }
        return b;
    });

    private static void writeElements(Collection<?> c, ByteWriter o) {
        o.writeVarInt(c.size());
        int written = 0;
        for (Object x : c) {
            o.writeObject(x);
            written++;
        }
        if (written != c.size()) {
            throw new IllegalStateException("a collection changed while it was encoded");
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <C extends Collection> C readElements(ByteReader i, C c) {
        int n = i.readCount(1);
        for (int k = 0; k < n; k++) {
            c.add(i.readObject());
        }
        return c;
    }

    private static void writeEntries(Map<?, ?> m, ByteWriter o) {
        o.writeVarInt(m.size());
        for (Map.Entry<?, ?> e : m.entrySet()) {
            o.writeObject(e.getKey());
            o.writeObject(e.getValue());
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <M extends Map> M readEntries(ByteReader i, M m) {
        int n = i.readCount(2);
        for (int k = 0; k < n; k++) {
            m.put(i.readObject(), i.readObject());
        }
        return m;
    }

    /** Runs a decoding step whose JDK factory validates its input, turning its complaint into a decode error. */
    private static <T> T decoding(String what, java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (DecodeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DecodeException("not " + what + ": " + e.getMessage(), e);
        }
    }

    private interface Enc<T> {
        void encode(T v, ByteWriter o);
    }

    private interface Dec<T> {
        T decode(ByteReader i);
    }

    private static <T> Codec<T> of(Enc<T> enc, Dec<T> dec) {
        return new Codec<>() {
            @Override
            public void encode(T value, ByteWriter out) {
                enc.encode(value, out);
            }

            @Override
            public T decode(ByteReader in) {
                return dec.decode(in);
            }
        };
    }
}

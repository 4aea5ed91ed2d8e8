package io.wax.api.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wax.api.KV;
import io.wax.api.LongBatch;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.arbitraries.ListArbitrary;

/**
 * Every built-in codec, derived record and enum codec, and nestings of them, read back exactly
 * what was written, and consume exactly the bytes they wrote.
 */
class CodecRoundTripTest {
    enum Colour { RED, GREEN, BLUE { @Override public String toString() { return "blue!"; } } }

    record Point(long x, int y, double z, boolean on, char c, short s, byte b, float f) {
    }

    record Labelled(String label, Point point, Colour colour, List<Object> tags, Object anything) {
    }

    static final CodecRegistry REGISTRY = new Codecs().register(Colour.class).register(Point.class)
            .register(Labelled.class).registry();

    /** What must come back: arrays compared by content, so they are turned into lists first. */
    static Object comparable(Object v) {
        if (v instanceof byte[] b) {
            List<Byte> l = new ArrayList<>();
            for (byte x : b) {
                l.add(x);
            }
            return l;
        }
        if (v instanceof long[] a) {
            return Arrays.stream(a).boxed().toList();
        }
        if (v instanceof int[] a) {
            return Arrays.stream(a).boxed().toList();
        }
        if (v instanceof double[] a) {
            return Arrays.stream(a).boxed().toList();
        }
        if (v instanceof LongBatch lb) {
            return List.of("LongBatch", new ArrayList<>(lb));
        }
        if (v instanceof List<?> l) {
            return l.stream().map(CodecRoundTripTest::comparable).toList();
        }
        if (v instanceof Set<?> s) {
            Set<Object> out = new LinkedHashSet<>();
            s.forEach(x -> out.add(comparable(x)));
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(comparable(k), comparable(x)));
            return out;
        }
        if (v instanceof KV<?> kv) {
            return new KV<>(kv.key(), comparable(kv.value()));
        }
        if (v instanceof Optional<?> o) {
            return o.map(CodecRoundTripTest::comparable);
        }
        if (v instanceof Labelled l) {
            return new Labelled(l.label(), l.point(), l.colour(), (List<Object>) comparable(l.tags()), comparable(l.anything()));
        }
        return v;
    }

    static void assertRoundTrip(Object v) {
        byte[] bytes = REGISTRY.encode(v);
        Object back = REGISTRY.decode(bytes);
        assertEquals(comparable(v), comparable(back));
        if (v != null) {
            assertEquals(v instanceof List<?> && !(v instanceof LongBatch) ? ArrayList.class
                    : v instanceof Set<?> && !(v instanceof TreeSet<?>) ? LinkedHashSet.class
                    : v instanceof Map<?, ?> && !(v instanceof TreeMap<?, ?>) ? LinkedHashMap.class
                    : v.getClass(), back.getClass(), "decoded class of " + v.getClass());
        }
    }

    @Property
    void leaves(@ForAll("leaves") Object v) {
        assertRoundTrip(v);
    }

    @Property(tries = 300)
    void nested(@ForAll("values") Object v) {
        assertRoundTrip(v);
    }

    @Property
    void records(@ForAll long x, @ForAll int y, @ForAll double z, @ForAll boolean on, @ForAll char c, @ForAll short s,
                 @ForAll byte b, @ForAll float f, @ForAll String label, @ForAll("values") Object anything) {
        Point p = new Point(x, y, z, on, c, s, b, f);
        assertRoundTrip(p);
        assertRoundTrip(new Labelled(label, p, Colour.values()[Math.floorMod(y, 3)], List.of(label, x), anything));
        assertRoundTrip(new Labelled(null, null, null, List.of(), null));
    }

    @Property
    void enumConstantsWithBodies(@ForAll Colour c) {
        assertRoundTrip(c);
    }

    @Property
    void strings(@ForAll String s) {
        // Any Java string, unpaired surrogates included, comes back exactly.
        assertRoundTrip(s);
    }

    @Provide
    Arbitrary<Object> leaves() {
        return Arbitraries.oneOf(List.of(
                Arbitraries.just(null),
                Arbitraries.of(true, false).map(x -> (Object) x),
                Arbitraries.bytes().map(x -> (Object) x),
                Arbitraries.shorts().map(x -> (Object) x),
                Arbitraries.chars().map(x -> (Object) x),
                Arbitraries.integers().map(x -> (Object) x),
                Arbitraries.longs().map(x -> (Object) x),
                Arbitraries.floats().map(x -> (Object) x),
                Arbitraries.doubles().map(x -> (Object) x),
                Arbitraries.of(Double.NaN, -0.0, Double.NEGATIVE_INFINITY, Double.MIN_VALUE).map(x -> (Object) x),
                Arbitraries.strings().map(x -> (Object) x),
                Arbitraries.strings().ascii().map(x -> (Object) x),
                Arbitraries.bytes().array(byte[].class).map(x -> (Object) x),
                Arbitraries.longs().array(long[].class).map(x -> (Object) x),
                Arbitraries.integers().array(int[].class).map(x -> (Object) x),
                Arbitraries.doubles().array(double[].class).map(x -> (Object) x),
                Arbitraries.longs().between(-31_556_889_864_403_199L, 31_556_889_864_403_199L)
                        .flatMap(s -> Arbitraries.integers().between(0, 999_999_999).map(n -> (Object) Instant.ofEpochSecond(s, n))),
                Arbitraries.longs().flatMap(s -> Arbitraries.integers().between(0, 999_999_999).map(n -> (Object) Duration.ofSeconds(s, n))),
                Arbitraries.longs().between(LocalDate.MIN.toEpochDay(), LocalDate.MAX.toEpochDay()).map(d -> (Object) LocalDate.ofEpochDay(d)),
                Arbitraries.longs().between(0, 86_399_999_999_999L).flatMap(t -> Arbitraries.longs()
                        .between(LocalDate.MIN.toEpochDay(), LocalDate.MAX.toEpochDay())
                        .map(d -> (Object) LocalDateTime.of(LocalDate.ofEpochDay(d), java.time.LocalTime.ofNanoOfDay(t)))),
                Arbitraries.longs().flatMap(a -> Arbitraries.longs().map(b -> (Object) new UUID(a, b))),
                Arbitraries.bigIntegers().between(BigInteger.TWO.pow(200).negate(), BigInteger.TWO.pow(200)).map(x -> (Object) x),
                Arbitraries.bigDecimals().map(x -> (Object) x),
                Arbitraries.longs().list().ofMaxSize(20).map(xs -> {
                    LongBatch b = new LongBatch(xs.size());
                    xs.forEach(b::add);
                    return (Object) b;
                })));
    }

    @Provide
    Arbitrary<Object> values() {
        return Arbitraries.recursive(this::leaves, this::containers, 0, 3);
    }

    private Arbitrary<Object> containers(Arbitrary<Object> inner) {
        ListArbitrary<Object> list = inner.list().ofMaxSize(5);
        return Arbitraries.oneOf(List.of(
                list.map(l -> (Object) l),
                list.map(l -> (Object) List.copyOf(l.stream().filter(x -> x != null).toList())),
                list.map(l -> (Object) new LinkedHashSet<>(l)),
                Arbitraries.strings().ofMaxLength(5).list().ofMaxSize(5).map(l -> (Object) new TreeSet<>(l)),
                Arbitraries.maps(Arbitraries.strings().ofMaxLength(5), inner).ofMaxSize(4).map(m -> (Object) new LinkedHashMap<>(m)),
                Arbitraries.maps(Arbitraries.integers(), inner).ofMaxSize(4).map(m -> (Object) new TreeMap<>(m)),
                Arbitraries.strings().ofMaxLength(8).flatMap(k -> inner.map(v -> (Object) new KV<>(k, v))),
                inner.map(v -> (Object) Optional.ofNullable(v))));
    }
}

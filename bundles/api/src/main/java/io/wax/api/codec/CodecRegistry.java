package io.wax.api.codec;

import io.wax.api.KV;
import io.wax.api.LongBatch;
import io.wax.api.internal.CollectLogic;
import io.wax.api.internal.JoinLogic;
import io.wax.api.internal.codec.BuiltIns;
import io.wax.api.internal.codec.EnumCodec;
import io.wax.api.internal.codec.RecordCodec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A flow's codecs, frozen and numbered: index 0 is null, then the built-in types in a fixed order,
 * then the flow's registrations in the order they were made. A value is written as its type's
 * index and then its codec's bytes, so no class name ever goes on the wire and decoding never
 * loads a class: an index the registry does not know is a {@link DecodeException}.
 *
 * <p>Made by {@link Codecs#registry()}; thread-safe.
 */
public final class CodecRegistry {
    /** A type, its index and its codec. */
    private record Entry(int index, Class<?> type, Codec<Object> codec, String description) {
    }

    private static final Entry MISSING = new Entry(-1, Void.class, null, "missing");

    /** The built-in types, in index order from 1. Changing this list changes the wire format. */
    private static final List<Entry> BUILT_INS = builtIns();

    private final Entry[] byIndex;
    /** Registered types by exact class; other classes are resolved once ({@link #resolve}) and cached. */
    private final Map<Class<?>, Entry> byClass = new ConcurrentHashMap<>();
    private final List<Entry> assignable = new ArrayList<>();
    private final long fingerprint;

    private CodecRegistry(List<Entry> entries) {
        byIndex = entries.toArray(Entry[]::new);
        for (Entry e : entries) {
            if (e != null) {
                byClass.put(e.type(), e);
                if (e.index() > BUILT_INS.size() && (e.type().isInterface()
                        || java.lang.reflect.Modifier.isAbstract(e.type().getModifiers()))) {
                    assignable.add(e);
                }
            }
        }
        fingerprint = fingerprint(entries);
    }

    static CodecRegistry of(List<Codecs.Registration> registrations) {
        List<Entry> entries = new ArrayList<>();
        entries.add(null); // index 0: null
        for (Entry b : BUILT_INS) {
            entries.add(new Entry(entries.size(), b.type(), b.codec(), b.description()));
        }
        for (Codecs.Registration r : registrations) {
            entries.add(entry(entries.size(), r.type(), r.codec()));
        }
        return new CodecRegistry(entries);
    }

    /** The registry of the built-in types only. */
    public static CodecRegistry builtIn() {
        return of(List.of());
    }

    static boolean isBuiltIn(Class<?> type) {
        for (Entry e : BUILT_INS) {
            if (e.type() == type) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Entry entry(int index, Class<?> type, Codec<?> codec) {
        if (codec != null) {
            return new Entry(index, type, (Codec<Object>) codec, "codec " + type.getName() + " " + codec.getClass().getName());
        }
        if (type.isEnum()) {
            EnumCodec c = new EnumCodec(type);
            return new Entry(index, type, c, c.description());
        }
        RecordCodec c = new RecordCodec(type);
        return new Entry(index, type, c, c.description());
    }

    /**
     * A 64-bit digest of every entry (index, type, codec, and for derived codecs the record's
     * components or the enum's constants): equal on every process that built the same flow.
     */
    public long fingerprint() {
        return fingerprint;
    }

    /** Entries after the built-ins: the flow's own registrations. */
    public int size() {
        return byIndex.length;
    }

    /** Encodes one value (or null) on its own. */
    public byte[] encode(Object value) {
        return new ByteWriter(this).writeObject(value).toByteArray();
    }

    /** Decodes bytes made by {@link #encode}, all of them. */
    public Object decode(byte[] bytes) {
        ByteReader r = new ByteReader(this, bytes);
        Object v = r.readObject();
        r.expectEnd();
        return v;
    }

    void write(ByteWriter out, Object value) {
        if (value == null) {
            out.writeByte(0);
            return;
        }
        Entry e = lookup(value.getClass());
        out.writeVarInt(e.index());
        e.codec().encode(value, out);
    }

    Object read(ByteReader in) {
        int at = in.position();
        int index = in.readVarInt();
        if (index == 0) {
            return null;
        }
        if (index < 0 || index >= byIndex.length) {
            throw new DecodeException("unknown type index " + Integer.toUnsignedString(index) + " at offset " + at
                    + " (this flow's registry has " + (byIndex.length - 1) + " types)");
        }
        Entry e = byIndex[index];
        try {
            return e.codec().decode(in);
        } catch (DecodeException x) {
            throw x;
        } catch (RuntimeException | StackOverflowError x) {
            throw new DecodeException("not a valid " + e.type().getName() + " at offset " + at + ": " + x, x);
        }
    }

    private Entry lookup(Class<?> c) {
        Entry e = byClass.get(c);
        if (e == null) {
            e = resolve(c);
            byClass.put(c, e);
        }
        if (e == MISSING) {
            throw new MissingCodecException(c);
        }
        return e;
    }

    /** The entry of a class registered under a supertype: a list, set or map, an enum constant's body, an implementation. */
    private Entry resolve(Class<?> c) {
        if (c.isEnum() || (c.getSuperclass() != null && c.getSuperclass().isEnum())) {
            Entry e = byClass.get(c.isEnum() ? c : c.getSuperclass());
            if (e != null) {
                return e;
            }
        }
        for (Entry e : assignable) {
            if (e.type().isAssignableFrom(c)) {
                return e;
            }
        }
        if (List.class.isAssignableFrom(c)) {
            return byClass.get(List.class);
        }
        if (SortedSet.class.isAssignableFrom(c)) {
            return byClass.get(SortedSet.class);
        }
        if (Set.class.isAssignableFrom(c)) {
            return byClass.get(Set.class);
        }
        if (SortedMap.class.isAssignableFrom(c)) {
            return byClass.get(SortedMap.class);
        }
        if (Map.class.isAssignableFrom(c)) {
            return byClass.get(Map.class);
        }
        return MISSING;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Entry> builtIns() {
        List<Entry> b = new ArrayList<>();
        Object[][] table = {
            {Boolean.class, BuiltIns.BOOLEAN}, {Byte.class, BuiltIns.BYTE}, {Short.class, BuiltIns.SHORT},
            {Character.class, BuiltIns.CHAR}, {Integer.class, BuiltIns.INT}, {Long.class, BuiltIns.LONG},
            {Float.class, BuiltIns.FLOAT}, {Double.class, BuiltIns.DOUBLE}, {String.class, BuiltIns.STRING},
            {byte[].class, BuiltIns.BYTES}, {long[].class, BuiltIns.LONGS}, {int[].class, BuiltIns.INTS},
            {double[].class, BuiltIns.DOUBLES}, {Instant.class, BuiltIns.INSTANT}, {Duration.class, BuiltIns.DURATION},
            {LocalDate.class, BuiltIns.LOCAL_DATE}, {LocalDateTime.class, BuiltIns.LOCAL_DATE_TIME},
            {UUID.class, BuiltIns.UUID_CODEC}, {BigInteger.class, BuiltIns.BIG_INTEGER},
            {BigDecimal.class, BuiltIns.BIG_DECIMAL}, {Optional.class, BuiltIns.OPTIONAL},
            {List.class, BuiltIns.LIST}, {Set.class, BuiltIns.SET}, {SortedSet.class, BuiltIns.SORTED_SET},
            {Map.class, BuiltIns.MAP}, {SortedMap.class, BuiltIns.SORTED_MAP}, {KV.class, BuiltIns.KV_CODEC},
            {LongBatch.class, BuiltIns.LONG_BATCH},
        };
        for (Object[] row : table) {
            Class<?> t = (Class<?>) row[0];
            b.add(new Entry(b.size() + 1, t, (Codec<Object>) row[1], "built-in " + t.getName()));
        }
        // The API's own operators' items and state: join's tagged values cross processes, collect keeps its buffer.
        for (Class<?> t : List.<Class<?>>of(JoinLogic.Tagged.class, CollectLogic.State.class)) {
            Entry e = entry(b.size() + 1, t, null);
            b.add(e);
        }
        return List.copyOf(b);
    }

    private static long fingerprint(List<Entry> entries) {
        long h = 0xcbf29ce484222325L;
        for (Entry e : entries) {
            String d = e == null ? "null" : e.index() + ":" + e.description();
            for (byte x : d.getBytes(StandardCharsets.UTF_8)) {
                h = (h ^ (x & 0xFF)) * 0x100000001b3L;
            }
            h = (h ^ 0xFF) * 0x100000001b3L;
        }
        return h;
    }

    @Override
    public String toString() {
        Map<Integer, String> m = new HashMap<>();
        for (Entry e : byIndex) {
            if (e != null) {
                m.put(e.index(), e.type().getName());
            }
        }
        return "CodecRegistry" + m;
    }
}

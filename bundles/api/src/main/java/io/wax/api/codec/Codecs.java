package io.wax.api.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * A flow's codec registrations: {@code flow.codecs()}. Every flow can already encode
 * <ul>
 * <li>null, the primitives' boxes, {@code String}, {@code byte[]}, {@code long[]}, {@code int[]},
 * {@code double[]};</li>
 * <li>{@code Instant}, {@code Duration}, {@code LocalDate}, {@code LocalDateTime}, {@code UUID},
 * {@code BigInteger}, {@code BigDecimal}, {@code Optional};</li>
 * <li>lists, sets and maps of encodable values (decoded as {@code ArrayList},
 * {@code LinkedHashSet}, {@code LinkedHashMap}; sorted sets and maps in natural order stay sorted);</li>
 * <li>{@code KV}, {@code LongBatch}, and the types the API's own operators emit or keep (join rows
 * are lists); windowing and connectors register their own types when a flow uses them.</li>
 * </ul>
 * Anything else needs one line where the flow is built: {@code register(Type.class)} for a record
 * whose components are encodable (its codec is derived from its components) or an enum, and
 * {@code register(Type.class, codec)} otherwise. A codec registered for an interface or abstract
 * class also encodes its implementations (for a sealed hierarchy, say).
 *
 * <p>Registrations are numbered in order after the built-in types, and the number, not the class
 * name, goes on the wire: every process of a cluster builds the same flow and so the same
 * registry, and the cluster handshake compares their {@linkplain CodecRegistry#fingerprint()
 * fingerprints}. Registering the same record, enum or codec again is harmless.
 */
public final class Codecs {
    /**
     * Implemented by sources, sinks and operators whose items or state have types of their own:
     * the flow asks them to register their codecs when they are added to it.
     */
    @org.osgi.annotation.versioning.ConsumerType
    public interface Provider {
        void registerCodecs(Codecs codecs);
    }

    /** One registration: a type and its codec, or a derived (record or enum) codec when {@code codec} is null. */
    record Registration(Class<?> type, Codec<?> codec) {
    }

    private final List<Registration> registrations = new ArrayList<>();
    private CodecRegistry frozen;

    /** Registers {@code codec} for {@code type} (and, for an interface or abstract class, its implementations). */
    public <T> Codecs register(Class<T> type, Codec<? super T> codec) {
        if (type == null || codec == null) {
            throw new IllegalArgumentException("register(type, codec) needs both, got " + type + ", " + codec);
        }
        return add(new Registration(type, codec));
    }

    /** Registers a record (its codec is derived from its components) or an enum. */
    public Codecs register(Class<?> recordOrEnum) {
        if (recordOrEnum == null || !(recordOrEnum.isRecord() || recordOrEnum.isEnum())) {
            throw new IllegalArgumentException("register(" + (recordOrEnum == null ? "null" : recordOrEnum.getName() + ".class")
                    + ") needs a record or an enum; for other types give a codec: register(type, codec)");
        }
        return add(new Registration(recordOrEnum, null));
    }

    private synchronized Codecs add(Registration r) {
        for (Registration old : registrations) {
            if (old.type() == r.type()) {
                if (old.codec() == r.codec()) {
                    return this;
                }
                throw new IllegalArgumentException(r.type().getName() + " already has a codec ("
                        + (old.codec() == null ? "derived" : old.codec().getClass().getName()) + "): register each type once");
            }
        }
        if (CodecRegistry.isBuiltIn(r.type())) {
            throw new IllegalArgumentException(r.type().getName() + " has a built-in codec; it cannot be replaced");
        }
        registrations.add(r);
        frozen = null;
        return this;
    }

    /** The registry of the built-in types and these registrations, in order. */
    public synchronized CodecRegistry registry() {
        if (frozen == null) {
            frozen = CodecRegistry.of(List.copyOf(registrations));
        }
        return frozen;
    }
}

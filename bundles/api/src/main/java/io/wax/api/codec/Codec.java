package io.wax.api.codec;

/**
 * Turns values of one type into bytes and back. Items that cross to a worker in another process,
 * and state that goes to a recovery store, are encoded by codecs; between the worker threads of one
 * process items move by reference and are never encoded.
 *
 * <p>Wax has codecs for the types flows use every day (see {@link Codecs}); a flow registers one
 * for any other type it moves or keeps, in one line where the flow is built:
 *
 * <pre>{@code
 * flow.codecs().register(Money.class, new MoneyCodec());   // a type of your own
 * flow.codecs().register(Click.class);                     // a record of encodable components, or an enum
 * }</pre>
 *
 * A codec reads back exactly what it wrote. Nested values of any registered type are written with
 * {@link ByteWriter#writeObject} and read with {@link ByteReader#readObject}. {@code decode} must
 * treat its input as untrusted: {@link ByteReader} checks every length against the bytes that are
 * left, and a codec that finds its input malformed throws {@link DecodeException}.
 *
 * @param <T> the type encoded
 */
@org.osgi.annotation.versioning.ConsumerType
public interface Codec<T> {
    /** Writes {@code value}, never null (nulls are handled by the registry). */
    void encode(T value, ByteWriter out);

    /** Reads a value written by {@link #encode}. */
    T decode(ByteReader in);
}

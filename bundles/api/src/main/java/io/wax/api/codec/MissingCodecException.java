package io.wax.api.codec;

/**
 * A value had to be encoded (for another process or the recovery store) and its flow has no codec
 * for its class. The message names the class and the line that registers one.
 */
public final class MissingCodecException extends RuntimeException {
    private final Class<?> type;

    public MissingCodecException(Class<?> type) {
        super(message(type));
        this.type = type;
    }

    /** The class without a codec. */
    public Class<?> type() {
        return type;
    }

    private static String message(Class<?> type) {
        String name = type.getSimpleName().isEmpty() ? type.getName() : type.getSimpleName();
        String how = type.isRecord() || type.isEnum()
                ? "flow.codecs().register(" + name + ".class)"
                : "flow.codecs().register(" + name + ".class, new " + name + "Codec())";
        return "no codec for " + type.getName() + ": items that cross processes and state that is snapshotted"
                + " are encoded; add " + how + " where the flow is built"
                + (type.isRecord() || type.isEnum() ? "" : " (a record or an enum needs no codec of its own)");
    }
}

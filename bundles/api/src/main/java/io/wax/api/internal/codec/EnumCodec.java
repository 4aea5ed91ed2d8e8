package io.wax.api.internal.codec;

import io.wax.api.codec.ByteReader;
import io.wax.api.codec.ByteWriter;
import io.wax.api.codec.Codec;
import io.wax.api.codec.DecodeException;
import java.util.Arrays;

/** An enum as its ordinal; the constants' names are part of the registry's fingerprint. */
public final class EnumCodec<E extends Enum<E>> implements Codec<E> {
    private final E[] constants;
    private final String description;

    public EnumCodec(Class<E> type) {
        this.constants = type.getEnumConstants();
        this.description = "enum " + type.getName() + Arrays.toString(constants);
    }

    public String description() {
        return description;
    }

    @Override
    public void encode(E value, ByteWriter out) {
        out.writeVarInt(value.ordinal());
    }

    @Override
    public E decode(ByteReader in) {
        int i = in.readVarInt();
        if (i < 0 || i >= constants.length) {
            throw new DecodeException("no constant " + Integer.toUnsignedString(i) + " in " + description);
        }
        return constants[i];
    }
}

package io.wax.api.internal.codec;

import io.wax.api.codec.ByteReader;
import io.wax.api.codec.ByteWriter;
import io.wax.api.codec.Codec;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;

/**
 * The codec of a record, derived from its components: each written in declaration order, numbers
 * as numbers, everything else through the registry (so components may be any encodable type,
 * records included). Decoding calls the canonical constructor, so a record's own validation runs
 * on decoded values too.
 */
public final class RecordCodec<R> implements Codec<R> {
    private enum Kind { BOOLEAN, BYTE, SHORT, CHAR, INT, LONG, FLOAT, DOUBLE, OBJECT }

    private final Class<R> type;
    private final Kind[] kinds;
    private final MethodHandle[] getters;
    private final MethodHandle constructor;
    private final String description;

    public RecordCodec(Class<R> type) {
        this.type = type;
        RecordComponent[] cs = type.getRecordComponents();
        kinds = new Kind[cs.length];
        getters = new MethodHandle[cs.length];
        Class<?>[] types = new Class<?>[cs.length];
        StringBuilder d = new StringBuilder("record ").append(type.getName()).append('(');
        try {
            for (int i = 0; i < cs.length; i++) {
                types[i] = cs[i].getType();
                kinds[i] = kind(types[i]);
                Method m = cs[i].getAccessor();
                m.setAccessible(true);
                getters[i] = MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(Object.class, Object.class));
                d.append(i == 0 ? "" : ", ").append(types[i].getName()).append(' ').append(cs[i].getName());
            }
            Constructor<R> ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            constructor = MethodHandles.lookup().unreflectConstructor(ctor)
                    .asType(MethodType.methodType(Object.class, types).changeReturnType(Object.class))
                    .asSpreader(Object[].class, cs.length)
                    .asType(MethodType.methodType(Object.class, Object[].class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("cannot derive a codec for record " + type.getName() + ": " + e, e);
        }
        description = d.append(')').toString();
    }

    /** The record's name and components: part of the registry's fingerprint. */
    public String description() {
        return description;
    }

    private static Kind kind(Class<?> t) {
        if (!t.isPrimitive()) {
            return Kind.OBJECT;
        }
        return switch (t.getName()) {
            case "boolean" -> Kind.BOOLEAN;
            case "byte" -> Kind.BYTE;
            case "short" -> Kind.SHORT;
            case "char" -> Kind.CHAR;
            case "int" -> Kind.INT;
            case "long" -> Kind.LONG;
            case "float" -> Kind.FLOAT;
            default -> Kind.DOUBLE;
        };
    }

    @Override
    public void encode(R value, ByteWriter out) {
        for (int i = 0; i < kinds.length; i++) {
            Object v;
            try {
                v = getters[i].invokeExact((Object) value);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("reading a component of " + type.getName() + " failed: " + t, t);
            }
            switch (kinds[i]) {
                case BOOLEAN -> out.writeBoolean((Boolean) v);
                case BYTE -> out.writeByte((Byte) v);
                case SHORT -> out.writeSignedVarInt((Short) v);
                case CHAR -> out.writeVarInt((Character) v);
                case INT -> out.writeSignedVarInt((Integer) v);
                case LONG -> out.writeSignedVarLong((Long) v);
                case FLOAT -> out.writeFloat((Float) v);
                case DOUBLE -> out.writeDouble((Double) v);
                default -> out.writeObject(v);
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public R decode(ByteReader in) {
        Object[] args = new Object[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            args[i] = switch (kinds[i]) {
                case BOOLEAN -> in.readBoolean();
                case BYTE -> in.readByte();
                case SHORT -> BuiltIns.SHORT.decode(in);
                case CHAR -> BuiltIns.CHAR.decode(in);
                case INT -> in.readSignedVarInt();
                case LONG -> in.readSignedVarLong();
                case FLOAT -> in.readFloat();
                case DOUBLE -> in.readDouble();
                default -> in.readObject();
            };
        }
        try {
            return (R) constructor.invokeExact(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("constructing " + type.getName() + " failed: " + t, t);
        }
    }
}

package io.wax.runtime.internal;

import io.wax.api.flow.FlowFactory.Param;
import io.wax.runtime.Getter;
import io.wax.runtime.WaxException;
import java.util.ArrayList;
import java.util.List;

/** Converts a getter's literals to the types of the flow's parameters. */
final class Arguments {
    private Arguments() {
    }

    static List<Object> convert(Getter getter, List<Param> params) {
        if (getter.args().size() != params.size()) {
            throw wrong(getter, params, "it takes " + params.size() + " argument" + (params.size() == 1 ? "" : "s")
                    + ", got " + getter.args().size());
        }
        List<Object> out = new ArrayList<>(params.size());
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            Object converted = convert(getter.args().get(i), p.type());
            if (converted == null) {
                throw wrong(getter, params, "argument " + (i + 1) + " (" + p.name() + ") must be "
                        + article(p.type()) + ", got " + show(getter.args().get(i)));
            }
            out.add(converted);
        }
        return out;
    }

    /** The literal as the parameter's type, or {@code null} when it does not fit. */
    private static Object convert(Object literal, Class<?> type) {
        if (type == int.class || type == Integer.class) {
            return literal instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (Object) l.intValue() : null;
        }
        if (type == long.class || type == Long.class) {
            return literal instanceof Long ? literal : null;
        }
        if (type == double.class || type == Double.class) {
            return literal instanceof Number n ? (Object) n.doubleValue() : null;
        }
        if (type == boolean.class || type == Boolean.class) {
            return literal instanceof Boolean ? literal : null;
        }
        if (type == String.class) {
            return literal instanceof String ? literal : null;
        }
        return null;
    }

    private static String article(Class<?> type) {
        if (type == String.class) {
            return "a \"quoted string\"";
        }
        String n = type.isPrimitive() ? type.getName() : type.getSimpleName().toLowerCase();
        return n.equals("int") || n.equals("integer") ? "an int" : "a " + n;
    }

    private static String show(Object literal) {
        return literal instanceof String s ? "\"" + s + "\"" : String.valueOf(literal);
    }

    private static WaxException wrong(Getter getter, List<Param> params, String what) {
        StringBuilder sig = new StringBuilder(getter.name()).append('(');
        for (int i = 0; i < params.size(); i++) {
            sig.append(i == 0 ? "" : ", ").append(params.get(i));
        }
        return new WaxException("wrong arguments for flow '" + getter.name() + "': " + what + "; its parameters are "
                + sig.append(')'));
    }
}

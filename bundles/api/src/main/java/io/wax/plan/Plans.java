package io.wax.plan;

import io.wax.api.Dataflow;
import java.lang.invoke.MethodHandles;
import java.util.function.Function;

/**
 * How the engine reads a {@link Dataflow}'s plan without the plan being part of the user API:
 * {@code Dataflow} hands this class an accessor when it is initialised (the pattern of the JDK's
 * "shared secrets"), so {@code Dataflow} itself has no public method that returns engine types.
 */
public final class Plans {
    private static volatile Function<Dataflow, Plan> access;

    private Plans() {
    }

    /** The flow's core steps and scopes, in an order where every stream is written before it is read. */
    public static Plan of(Dataflow flow) {
        if (access == null) {
            try {
                MethodHandles.lookup().ensureInitialized(Dataflow.class);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot initialise " + Dataflow.class, e);
            }
        }
        return access.apply(flow);
    }

    /** Called once, by {@code Dataflow}'s static initialiser; a second call is refused. */
    public static synchronized void install(Function<Dataflow, Plan> accessor) {
        if (access != null) {
            throw new IllegalStateException("the plan accessor is installed by Dataflow only");
        }
        access = accessor;
    }
}

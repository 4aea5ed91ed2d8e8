package io.wax.runtime.guard;

/**
 * What calls to {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt} in flow bundles
 * are rewritten to (see the runtime's weaving hook): a flow runs inside the process of the shell
 * and of other flows, so ending it is not the flow's to do. The call throws instead, which fails
 * the flow with an error naming the step, the worker and the call. Not for use by hand.
 */
public final class Exits {
    private Exits() {
    }

    /** Replaces {@code System.exit(status)}. */
    public static void exit(int status) {
        throw refused("System.exit(" + status + ")");
    }

    /** Replaces {@code runtime.exit(status)}. */
    public static void exit(Runtime runtime, int status) {
        throw refused("Runtime.exit(" + status + ")");
    }

    /** Replaces {@code runtime.halt(status)}. */
    public static void halt(Runtime runtime, int status) {
        throw refused("Runtime.halt(" + status + ")");
    }

    private static SecurityException refused(String call) {
        return new SecurityException(call + " was called by a flow, which must not end the Wax process (the shell and"
                + " other flows run in it); throw an exception to fail the flow instead");
    }
}

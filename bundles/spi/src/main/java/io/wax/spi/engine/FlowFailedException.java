package io.wax.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A flow stopped because user code threw. Its message names the flow, step, worker, epoch and user
 * function; its cause is the user's exception, and its own stack trace is the user's stack with
 * the engine's frames removed, so that printing it shows the user's code first.
 */
public final class FlowFailedException extends RuntimeException {
    private final String flowId;
    private final String stepId;
    private final int worker;
    private final long epoch;
    private final String userFunction;

    public FlowFailedException(String flowId, String stepId, int worker, long epoch, String userFunction,
                               Throwable cause) {
        super("flow '" + flowId + "' failed in step '" + stepId + "' (" + userFunction + ") on worker " + worker
                + (epoch > 0 ? ", epoch " + epoch : "") + ": " + cause, cause);
        this.flowId = flowId;
        this.stepId = stepId;
        this.worker = worker;
        this.epoch = epoch;
        this.userFunction = userFunction;
        setStackTrace(userFrames(cause));
    }

    public String flowId() {
        return flowId;
    }

    public String stepId() {
        return stepId;
    }

    public int worker() {
        return worker;
    }

    public long epoch() {
        return epoch;
    }

    public String userFunction() {
        return userFunction;
    }

    /** The cause's frames down to where the engine called the user's code. */
    static StackTraceElement[] userFrames(Throwable cause) {
        List<StackTraceElement> out = new ArrayList<>();
        for (StackTraceElement e : cause.getStackTrace()) {
            String c = e.getClassName();
            if (c.startsWith("io.wax.engine.internal.") || c.startsWith("io.wax.api.internal.")) {
                break;
            }
            out.add(e);
        }
        return out.toArray(StackTraceElement[]::new);
    }
}

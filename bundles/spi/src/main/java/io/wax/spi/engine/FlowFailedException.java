package io.wax.spi.engine;

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

    /**
     * The same failure as reported by the process it happened in: {@code cause} carries the
     * user's exception as text and its frames.
     */
    public FlowFailedException(String flowId, String stepId, int worker, long epoch, String userFunction,
                               int process, RemoteCause cause) {
        super("flow '" + flowId + "' failed in step '" + stepId + "' (" + userFunction + ") on worker " + worker
                + " (process " + process + ")" + (epoch > 0 ? ", epoch " + epoch : "") + ": " + cause.getMessage(), cause);
        this.flowId = flowId;
        this.stepId = stepId;
        this.worker = worker;
        this.epoch = epoch;
        this.userFunction = userFunction;
        setStackTrace(cause.getStackTrace());
    }

    /** A user exception that happened in another process of the cluster: its text and its frames, no class. */
    public static final class RemoteCause extends RuntimeException {
        public RemoteCause(String text, StackTraceElement[] frames) {
            super(text, null, false, true);
            setStackTrace(frames);
        }

        @Override
        public String toString() {
            return getMessage();
        }
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
    public static StackTraceElement[] userFrames(Throwable cause) {
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

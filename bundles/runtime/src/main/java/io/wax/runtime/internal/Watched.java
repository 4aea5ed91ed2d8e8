package io.wax.runtime.internal;

import io.wax.spi.engine.Run;
import io.wax.spi.monitor.RunFigures;
import io.wax.spi.monitor.RunningFlow;

/** A run as the flow monitor sees it: set up before the run starts, told when it has and how it ended. */
final class Watched implements RunningFlow {
    private final String flow;
    private final String getter;
    private final String dataflow;
    private final int workers;
    private final int processId;
    private final int metricsPort;
    private final String metricsHost;
    private final long startedMillis = System.currentTimeMillis();
    private volatile Run run;
    private volatile State state = State.RUNNING;
    private volatile long endedMillis;
    private volatile String failure;

    Watched(String flow, String getter, String dataflow, int workers, int processId, int metricsPort, String metricsHost) {
        this.flow = flow;
        this.getter = getter;
        this.dataflow = dataflow;
        this.workers = workers;
        this.processId = processId;
        this.metricsPort = metricsPort;
        this.metricsHost = metricsHost;
    }

    void started(Run r) {
        run = r;
        if (state == State.SWAPPING) {
            state = State.RUNNING;
        }
    }

    private volatile String swap;
    private volatile java.util.Map<String, String> builds = java.util.Map.of();

    /** The builds the run starts on now: at its start and at every swap's resume. */
    void builds(java.util.Map<String, String> b) {
        builds = b;
    }

    @Override
    public java.util.Map<String, String> builds() {
        return builds;
    }

    /** A swap is in progress ({@code what}: the bundle and phase), or has ended ({@link #started} again). */
    void swap(String what, boolean inProgress) {
        swap = what;
        if (inProgress) {
            state = State.SWAPPING;
        }
    }

    @Override
    public String swap() {
        return swap;
    }

    /** The run is over: {@code why} is its one-paragraph error when it failed. */
    void ended(State how, String why) {
        failure = why;
        endedMillis = System.currentTimeMillis();
        state = how;
    }

    @Override
    public String flow() {
        return flow;
    }

    @Override
    public String getter() {
        return getter;
    }

    @Override
    public String dataflow() {
        return dataflow;
    }

    @Override
    public RunFigures figures() {
        Run r = run;
        return r == null ? RunFigures.NONE : r.figures();
    }

    @Override
    public int workers() {
        return workers;
    }

    @Override
    public int processId() {
        return processId;
    }

    @Override
    public long startedMillis() {
        return startedMillis;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public long endedMillis() {
        return endedMillis;
    }

    @Override
    public String failure() {
        return failure;
    }

    @Override
    public int metricsPort() {
        return metricsPort;
    }

    @Override
    public String metricsHost() {
        return metricsHost;
    }
}

package io.wax.engine;

import io.wax.api.Dataflow;
import io.wax.engine.internal.Execution;
import io.wax.plan.Plans;

/**
 * Runs a flow in this JVM: the analogue of Bytewax's {@code run_main} and {@code cli_main -wN}.
 * Returns when every input has ended and every step has finished; throws
 * {@link FlowFailedException} when user code fails, after every worker has stopped. Interrupting
 * the calling thread stops the run (every worker, promptly) with {@link FlowAbortedException}.
 *
 * <pre>{@code
 * TestingSink<Integer> out = new TestingSink<>();
 * Dataflow flow = new Dataflow("t");
 * flow.input("inp", new TestingSource<>(List.of(1, 2, 3))).map("double", x -> x * 2).output("out", out);
 * Runner.run(flow, RunOptions.defaults().withWorkers(3));
 * }</pre>
 */
public final class Runner {
    private Runner() {
    }

    /** Runs with one worker and default options. */
    public static void run(Dataflow flow) {
        run(flow, RunOptions.defaults());
    }

    public static void run(Dataflow flow, RunOptions options) {
        new Execution(Plans.of(flow), options).run();
    }
}

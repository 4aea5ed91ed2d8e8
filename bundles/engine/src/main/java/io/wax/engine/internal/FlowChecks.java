package io.wax.engine.internal;

import io.wax.plan.Plan;
import io.wax.plan.Step;

/**
 * Checks a flow can run before any worker starts, as Bytewax does at run start: a flow with no
 * input would end at once having done nothing, and one with no output or inspect step computes
 * what nobody sees. Duplicate step ids and inconsistent stream scoping are refused while the flow
 * is built, by {@code io.wax.api.Dataflow} and {@code Stream}.
 */
final class FlowChecks {
    private FlowChecks() {
    }

    /** @throws IllegalArgumentException naming the flow and what it lacks */
    static void check(Plan plan) {
        boolean input = false;
        boolean output = false;
        for (Step s : plan.steps()) {
            input |= s instanceof Step.Input;
            output |= s instanceof Step.Output || s instanceof Step.InspectDebug;
        }
        if (!input) {
            throw new IllegalArgumentException("flow '" + plan.flowId() + "' has no input: add a source with "
                    + "flow.input(\"inp\", source) (a flow needs at least one input step)");
        }
        if (!output) {
            throw new IllegalArgumentException("flow '" + plan.flowId() + "' has no output: end a stream with "
                    + "output(\"out\", sink) or inspect(\"look\", fn) (a flow needs at least one output or inspect step)");
        }
    }
}

package io.wax.plan;

import java.util.List;

/**
 * One core step of a flow. These eight records are the whole vocabulary the engine executes;
 * every other operator is a composition of them. Stream ids name the edges between steps.
 */
public sealed interface Step permits Step.Input, Step.Output, Step.FlatMapBatch, Step.Branch,
        Step.Merge, Step.Redistribute, Step.InspectDebug, Step.StatefulBatch {
    /** The step's full, hierarchical id, such as {@code simple.add_one.flat_map_batch}. */
    String id();

    /** Ids of the streams this step reads. */
    List<String> ups();

    /** Ids of the streams this step writes. */
    List<String> downs();

    /** The core operator's name, as in Bytewax. */
    String kind();

    record Input(String id, io.wax.api.io.Source<?> source, String down) implements Step {
        public List<String> ups() { return List.of(); }
        public List<String> downs() { return List.of(down); }
        public String kind() { return "input"; }
    }

    record Output(String id, String up, io.wax.api.io.Sink<?> sink) implements Step {
        public List<String> ups() { return List.of(up); }
        public List<String> downs() { return List.of(); }
        public String kind() { return "output"; }
    }

    record FlatMapBatch(String id, String up, io.wax.api.BatchFn<?, ?> fn, String down) implements Step {
        public List<String> ups() { return List.of(up); }
        public List<String> downs() { return List.of(down); }
        public String kind() { return "flat_map_batch"; }
    }

    record Branch(String id, String up, io.wax.api.FilterFn<?> predicate, String trues, String falses)
            implements Step {
        public List<String> ups() { return List.of(up); }
        public List<String> downs() { return List.of(trues, falses); }
        public String kind() { return "branch"; }
    }

    record Merge(String id, List<String> ups, String down) implements Step {
        public List<String> downs() { return List.of(down); }
        public String kind() { return "merge"; }
    }

    record Redistribute(String id, String up, String down) implements Step {
        public List<String> ups() { return List.of(up); }
        public List<String> downs() { return List.of(down); }
        public String kind() { return "redistribute"; }
    }

    record InspectDebug(String id, String up, io.wax.api.InspectDebugFn<?> fn, String down) implements Step {
        public List<String> ups() { return List.of(up); }
        public List<String> downs() { return List.of(down); }
        public String kind() { return "inspect_debug"; }
    }

    /** Items are routed by key to the worker that owns the key before the logic sees them. */
    record StatefulBatch(String id, String up, io.wax.api.StatefulBatchBuilder<?, ?, ?> builder, String down)
            implements Step {
        public List<String> ups() { return List.of(up); }
        public List<String> downs() { return List.of(down); }
        public String kind() { return "stateful_batch"; }
    }
}

package io.wax.api;

import io.wax.api.codec.Codecs;
import io.wax.api.io.Source;
import io.wax.plan.Plan;
import io.wax.plan.Plans;
import io.wax.plan.Scope;
import io.wax.plan.Step;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A flow under construction: start it with {@link #input}, chain operators on the returned
 * {@link Stream}, end branches with {@link Stream#output}.
 *
 * <pre>{@code
 * Dataflow flow = new Dataflow("simple");
 * flow.input("inp", new TestingSource<>(List.of(0, 1, 2)))
 *     .map("add_one", x -> x + 1)
 *     .output("out", new StdOutSink());
 * }</pre>
 *
 * Step ids are mandatory, unique within their scope, and may not contain dots: a step's full id is
 * the path of scopes to it ({@code simple.add_one.flat_map_batch}). Recovery snapshots are keyed by
 * these ids, so renaming a step loses its state, while adding steps elsewhere does not.
 */
public final class Dataflow {
    private final String id;
    private final List<Step> steps = new ArrayList<>();
    private final List<Scope> scopes = new ArrayList<>();
    private final Set<String> usedIds = new HashSet<>();
    private final Codecs codecs = new Codecs();
    private final java.util.Map<String, StateVersion> stateVersions = new java.util.TreeMap<>();

    static {
        Plans.install(Dataflow::plan);
    }

    public Dataflow(String id) {
        checkId(id, "flow id", id);
        this.id = id;
    }

    public String id() {
        return id;
    }

    /**
     * This flow's codecs: register one for every type of your own that crosses processes or is
     * kept in state, in one line: {@code flow.codecs().register(Click.class)} for a record or an
     * enum, {@code flow.codecs().register(Money.class, new MoneyCodec())} otherwise. Running in one
     * process without recovery never encodes anything; {@link Codecs} lists the built-in types.
     */
    public Codecs codecs() {
        return codecs;
    }

    /**
     * Declares the version of a stateful step's state, with no migration: a live update or a resume
     * that finds state of another version in a snapshot is refused, and the flow keeps running on
     * its old code. Raise the version when the step's state changes incompatibly.
     * {@code stepId} is the id given to the step's operator at the flow's top level.
     */
    public Dataflow stateVersion(String stepId, int version) {
        return stateVersion(stepId, version, null);
    }

    /**
     * Declares the version of a stateful step's state and how to migrate older state to it
     * (Erlang's {@code code_change}): a live update or a resume that finds state of an older
     * version passes every key's state through {@code migration}. See {@link StateMigration}.
     */
    public Dataflow stateVersion(String stepId, int version, StateMigration migration) {
        checkId(stepId, "step id", id);
        stateVersions.put(id + "." + stepId, new StateVersion(stepId, version, migration));
        return this;
    }

    /**
     * The declared state versions, by the step's full id ({@code flow.step}); a step that declares
     * none has version 0. The runtime checks them when it updates a running flow.
     */
    public java.util.Map<String, StateVersion> stateVersions() {
        return java.util.Collections.unmodifiableMap(stateVersions);
    }

    /** Adds a source. Core operator {@code input}. */
    public <T> Stream<T> input(String stepId, Source<T> source) {
        requireNonNull(source, "source", stepId);
        provideCodecs(source);
        String full = claim(id, stepId);
        add(new Step.Input(full, source, full + ".down"));
        return new Stream<>(this, full + ".down", id);
    }

    /** This flow as data, for the engine and for describing it (through {@link Plans#of}). */
    Plan plan() {
        return new Plan(id, steps, scopes, codecs.registry());
    }

    String claim(String scope, String stepId) {
        checkId(stepId, "step id", scope);
        String full = scope + "." + stepId;
        if (!usedIds.add(full)) {
            throw new IllegalArgumentException("step id '" + stepId + "' is used twice in '" + scope
                    + "': give each step of a scope its own id");
        }
        return full;
    }

    String nest(String scope, String stepId, String operator) {
        String full = claim(scope, stepId);
        scopes.add(new Scope(full, operator));
        return full;
    }

    /** Lets a source, sink or operator that has types of its own register their codecs. */
    void provideCodecs(Object part) {
        if (part instanceof Codecs.Provider p) {
            p.registerCodecs(codecs);
        }
    }

    void add(Step step) {
        steps.add(step);
    }

    static void requireNonNull(Object o, String what, String stepId) {
        if (o == null) {
            String article = "aeiou".indexOf(what.charAt(0)) >= 0 ? "an " : "a ";
            throw new IllegalArgumentException("step '" + stepId + "' needs " + article + what + ", got null");
        }
    }

    private static void checkId(String id, String what, String where) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a " + what + " in '" + where + "' is missing: every step needs an id");
        }
        if (id.indexOf('.') >= 0) {
            throw new IllegalArgumentException(what + " '" + id + "' must not contain '.': dots join nested step ids");
        }
    }
}

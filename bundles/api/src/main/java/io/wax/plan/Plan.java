package io.wax.plan;

import java.util.List;

/**
 * A flow as data: its core steps in an order where every stream is written before it is read,
 * and the derived operators they came from.
 */
public record Plan(String flowId, List<Step> steps, List<Scope> scopes) {
    public Plan {
        steps = List.copyOf(steps);
        scopes = List.copyOf(scopes);
    }
}

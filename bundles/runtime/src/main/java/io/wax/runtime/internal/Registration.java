package io.wax.runtime.internal;

import io.wax.api.flow.FlowFactory;
import io.wax.api.flow.FlowFactory.Param;
import io.wax.runtime.FlowInfo;
import java.util.List;
import org.osgi.framework.Bundle;

/**
 * One registered {@link FlowFactory} service, read once when it is bound.
 *
 * @param factory the service, or {@code null} when it could not be obtained
 * @param name its flow name, or {@code null} when it could not be read
 * @param problem why it cannot run, or {@code null}
 */
record Registration(FlowFactory factory, String name, List<Param> params, Bundle bundle, String problem) {
    FlowInfo info() {
        return new FlowInfo(name, params.stream().map(Param::toString).toList(), bundle.getSymbolicName(),
                bundle.getVersion().toString(), problem);
    }

    Registration withProblem(String why) {
        return new Registration(factory, name, params, bundle, why);
    }
}

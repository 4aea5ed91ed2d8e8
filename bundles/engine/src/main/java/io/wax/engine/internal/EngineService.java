package io.wax.engine.internal;

import io.wax.plan.Plan;
import io.wax.spi.engine.Engine;
import io.wax.spi.engine.Run;
import io.wax.spi.engine.RunOptions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine as an OSGi service, which the runtime binds dynamically. Runs it started that are
 * still going when the engine bundle stops are aborted and waited for, so that no worker thread
 * outlives the bundle that owns its code.
 */
@Component(service = Engine.class)
public final class EngineService implements Engine {
    private static final Logger LOG = LoggerFactory.getLogger(EngineService.class);

    private final Set<Execution> runs = ConcurrentHashMap.newKeySet();

    @Override
    public Run start(Plan plan, RunOptions options) {
        Execution e = new Execution(plan, options);
        runs.add(e);
        e.onDone(() -> runs.remove(e));
        return e.start();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        for (Execution e : runs) {
            LOG.warn("the engine is stopping: aborting the run of flow '{}'", e.plan.flowId());
            e.abort();
        }
        for (Execution e : runs) {
            try {
                e.await();
            } catch (RuntimeException expected) {
                // aborted: its caller reports it
            }
        }
    }
}

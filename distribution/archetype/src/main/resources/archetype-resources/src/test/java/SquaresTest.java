package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wax.api.flow.FlowFactory.Param;
import io.wax.api.testing.TestingSink;
import io.wax.engine.Runner;
import io.wax.spi.engine.RunOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The flow run in-process by Wax's test kit, as bin/wax would run it: with 1, 2 and 3 workers,
 * and as a cluster of 2 processes inside this JVM.
 */
class SquaresTest {
    @Test
    void squaresEveryNumberWithAnyWorkerCount() {
        for (int workers = 1; workers <= 3; workers++) {
            TestingSink<Integer> out = new TestingSink<>();
            Runner.run(Squares.flow(5, out), RunOptions.defaults().withWorkers(workers));
            List<Integer> squares = new ArrayList<>(out.items());
            Collections.sort(squares); // workers write in any order
            assertEquals(List.of(0, 1, 4, 9, 16), squares, workers + " workers");
        }
    }

    /**
     * Two processes of 2 workers over the loopback transport: whatever crosses processes goes
     * through the flow's codecs, as between machines, so a flow that passes here runs on a cluster.
     */
    @Test
    void runsAsTwoProcessesOfACluster() {
        TestingSink<Integer> out = new TestingSink<>(); // one sink, shared by both processes
        Runner.runCluster(process -> Squares.flow(5, out), 2, RunOptions.defaults().withWorkers(2));
        List<Integer> squares = new ArrayList<>(out.items());
        Collections.sort(squares);
        assertEquals(List.of(0, 1, 4, 9, 16), squares);
    }

    @Test
    void theFactoryNamesTheFlowAndItsParameter() {
        Squares factory = new Squares();
        assertEquals("${flowName}", factory.name());
        assertEquals(List.of(new Param("n", int.class)), factory.params());
        assertThrows(IllegalArgumentException.class, () -> factory.build(List.of(-1)));
    }
}

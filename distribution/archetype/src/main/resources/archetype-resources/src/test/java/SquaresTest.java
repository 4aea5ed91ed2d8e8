package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wax.api.flow.FlowFactory.Param;
import io.wax.api.testing.TestingSink;
import io.wax.engine.RunOptions;
import io.wax.engine.Runner;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The flow run in-process by Wax's test kit, as bin/wax would run it, with 1, 2 and 3 workers. */
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

    @Test
    void theFactoryNamesTheFlowAndItsParameter() {
        Squares factory = new Squares();
        assertEquals("${flowName}", factory.name());
        assertEquals(List.of(new Param("n", int.class)), factory.params());
        assertThrows(IllegalArgumentException.class, () -> factory.build(List.of(-1)));
    }
}

package io.wax.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wax.api.flow.FlowFactory.Param;
import io.wax.runtime.Getter;
import io.wax.runtime.WaxException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArgumentsTest {
    private static final List<Param> PARAMS = List.of(new Param("n", int.class), new Param("big", long.class),
            new Param("x", double.class), new Param("on", boolean.class), new Param("s", String.class));

    @Test
    void convertsToTheParameterTypes() {
        assertEquals(List.of(5, 6L, 7.0, true, "hi"), Arguments.convert(Getter.parse("f(5, 6, 7, true, \"hi\")"), PARAMS));
    }

    @Test
    void wrongArgumentsNameTheParameters() {
        String e = assertThrows(WaxException.class, () -> Arguments.convert(Getter.parse("p(\"x\")"),
                List.of(new Param("n", int.class)))).getMessage();
        assertEquals("wrong arguments for flow 'p': argument 1 (n) must be an int, got \"x\"; its parameters are p(int n)", e);
        e = assertThrows(WaxException.class, () -> Arguments.convert(Getter.parse("p"), List.of(new Param("n", int.class)))).getMessage();
        assertEquals("wrong arguments for flow 'p': it takes 1 argument, got 0; its parameters are p(int n)", e);
        e = assertThrows(WaxException.class, () -> Arguments.convert(Getter.parse("p(3000000000)"),
                List.of(new Param("n", int.class)))).getMessage();
        assertEquals("wrong arguments for flow 'p': argument 1 (n) must be an int, got 3000000000; its parameters are p(int n)", e);
    }
}

package io.wax.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GetterTest {
    @Test
    void nameAlone() {
        assertEquals(new Getter("simple", List.of()), Getter.parse("simple"));
        assertEquals(new Getter("simple", List.of()), Getter.parse(" simple() "));
    }

    @Test
    void literalsOfEveryKind() {
        assertEquals(new Getter("f", List.of(10L, -3L, 7L, 1.5, 2000.0, true, false, "a \"b\",c\n")),
                Getter.parse("f(10, -3, 7L, 1.5, 2e3, true, false, \"a \\\"b\\\",c\\n\")"));
    }

    @Test
    void malformedGettersSayWhere() {
        assertTrue(Getter.parse("f(1)").args().size() == 1);
        UsageException e = assertThrows(UsageException.class, () -> Getter.parse("f(1,)"));
        assertTrue(e.getMessage().contains("expected a literal"), e.getMessage());
        assertTrue(assertThrows(UsageException.class, () -> Getter.parse("f(bob)")).getMessage().contains("at 'bob)'"));
        assertTrue(assertThrows(UsageException.class, () -> Getter.parse("f(\"open)")).getMessage().contains("closing"));
        assertTrue(assertThrows(UsageException.class, () -> Getter.parse("f(1")).getMessage().contains("')'"));
        assertTrue(assertThrows(UsageException.class, () -> Getter.parse("")).getMessage().contains("flow name"));
        assertTrue(assertThrows(UsageException.class, () -> Getter.parse("f(99999999999999999999)")).getMessage().contains("out of range"));
    }
}

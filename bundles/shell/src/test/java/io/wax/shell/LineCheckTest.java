package io.wax.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Set;
import org.junit.jupiter.api.Test;

class LineCheckTest {
    private static final Set<String> KNOWN = Set.of("run", "wax:run", "describe", "flows", "echo");

    private static LineCheck check(String line) {
        return LineCheck.of(line, KNOWN::contains);
    }

    @Test
    void anUnquotedGetterWithParenthesesIsQuoted() {
        LineCheck c = check("run parametric(3) -w2");
        assertEquals("run 'parametric(3)' -w2", c.line());
        assertEquals("wax: a getter with parentheses must be quoted for the shell; running: run 'parametric(3)' -w2", c.message());
        assertEquals("wax:run -w2 'hello(\"you\")'", check("wax:run -w2 hello(\"you\")").line());
        assertEquals("describe 'parametric(3)' --format mermaid", check("describe parametric(3) --format mermaid").line());
    }

    @Test
    void quotedGettersAndOtherLinesPass() {
        assertNull(check("run 'parametric(3)'").message());
        assertNull(check("run simple -w3").message());
        assertNull(check("x = 3").message());
        assertNull(check("$x bundles").message());
        assertNull(check("").message());
        assertEquals("echo (foo)", check("echo (foo)").line());
    }

    @Test
    void anUnknownCommandIsNamed() {
        LineCheck c = check("flow");
        assertEquals("", c.line());
        assertEquals("wax: unknown command 'flow'; type help for the commands", c.message());
    }
}

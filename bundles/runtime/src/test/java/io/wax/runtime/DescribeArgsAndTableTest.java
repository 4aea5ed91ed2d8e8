package io.wax.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DescribeArgsAndTableTest {
    @Test
    void describeFormats() {
        assertEquals(new DescribeArgs("simple", "json", false), DescribeArgs.parse(List.of("simple")));
        assertEquals(new DescribeArgs("simple", "mermaid", false), DescribeArgs.parse(List.of("simple", "--format", "mermaid")));
        assertEquals(new DescribeArgs("simple", "mermaid", false), DescribeArgs.parse(List.of("--format=mermaid", "simple")));
        assertTrue(DescribeArgs.parse(List.of("-h")).help());
        assertTrue(assertThrows(UsageException.class, () -> DescribeArgs.parse(List.of("simple", "--format", "svg")))
                .getMessage().contains("json or mermaid"));
        assertTrue(assertThrows(UsageException.class, () -> DescribeArgs.parse(List.of("simple", "--format")))
                .getMessage().contains("needs a value"));
        assertTrue(assertThrows(UsageException.class, () -> DescribeArgs.parse(List.of())).getMessage().contains("which flow"));
    }

    @Test
    void describeRefusesATwiceGivenFormatAnEmptyGetterAndExtraArguments() {
        assertTrue(assertThrows(UsageException.class, () -> DescribeArgs.parse(List.of("simple", "--format", "json", "--format=mermaid")))
                .getMessage().contains("--format is given twice"));
        assertTrue(assertThrows(UsageException.class, () -> DescribeArgs.parse(List.of("")))
                .getMessage().startsWith("the flow getter is empty"));
        assertTrue(assertThrows(UsageException.class, () -> DescribeArgs.parse(List.of("simple", "extra")))
                .getMessage().startsWith("expected one flow getter, got simple extra"));
    }

    @Test
    void tableAlignsAndShowsProblems() {
        String t = FlowTable.format(List.of(
                new FlowInfo("parametric", List.of("int n"), "io.wax.examples", "0.1.0", null),
                new FlowInfo(null, List.of(), "com.acme.broken", "1.0.0", "bundle is not resolved: no bundle exports package x")));
        assertEquals("""
                FLOW               BUNDLE                 STATE
                parametric(int n)  io.wax.examples 0.1.0  ready
                ?                  com.acme.broken 1.0.0  broken: bundle is not resolved: no bundle exports package x
                """, t);
        assertEquals("no flows are deployed: drop a flow bundle into deploy/\n", FlowTable.format(List.of()));
    }
}

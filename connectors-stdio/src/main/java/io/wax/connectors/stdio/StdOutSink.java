package io.wax.connectors.stdio;

import io.wax.api.io.DynamicSink;
import io.wax.api.io.StatelessSinkPartition;
import io.wax.api.io.WorkerContext;
import java.io.PrintStream;
import java.util.List;

/**
 * Prints every item on its own line ({@link String#valueOf(Object)}) to the run's standard output:
 * the terminal of {@code bin/wax run}, or the shell session that ran {@code wax:run}. Each worker
 * writes whole batches at once, so lines of different workers never interleave mid-line. Each batch
 * is flushed as soon as it is written, so results appear when they are computed, not when their
 * epoch closes: one write call per batch, however many lines it holds.
 *
 * <pre>{@code
 * flow.input("inp", new TestingSource<>(List.of(0, 1, 2))).output("out", new StdOutSink());
 * }</pre>
 */
public final class StdOutSink implements DynamicSink<Object> {
    @Override
    public StatelessSinkPartition<Object> build(WorkerContext ctx) {
        return new Writer(ctx.stdout());
    }

    private static final class Writer implements StatelessSinkPartition<Object> {
        private final PrintStream out;

        Writer(PrintStream out) {
            this.out = out;
        }

        @Override
        public void writeBatch(List<Object> items) {
            StringBuilder lines = new StringBuilder();
            for (Object item : items) {
                lines.append(item).append(System.lineSeparator());
            }
            // One print per batch: PrintStream locks per call, which keeps each line whole.
            out.print(lines);
            out.flush();
        }

        @Override
        public void epochEnd(long epoch) {
            out.flush();
        }

        @Override
        public void close() {
            // The stream belongs to the run's caller (terminal or shell session): flush, never close.
            out.flush();
        }
    }
}

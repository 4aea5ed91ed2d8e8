package io.wax.examples;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.KeyedStream;
import io.wax.api.flow.FlowFactory;
import io.wax.connectors.file.CsvSource;
import io.wax.connectors.file.DirSink;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code csv_totals(String input, String outDir)}: reads a CSV file with a header row that has
 * {@code region} and {@code amount} columns, sums the amounts per region, and writes one
 * {@code region,total} line per region to the files {@code part_0} and {@code part_1} of
 * {@code outDir} (each region always in the same file). With recovery a run that crashes resumes
 * where it was, and every line is written exactly once.
 * <pre>
 * $ bin/wax run 'csv_totals("sales.csv", "totals")' -w2
 * </pre>
 */
@Component(service = FlowFactory.class)
public final class CsvTotals implements FlowFactory {
    @Override
    public String name() {
        return "csv_totals";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("input", String.class), new Param("outDir", String.class));
    }

    @Override
    public Dataflow build(List<Object> args) {
        Dataflow flow = new Dataflow("csv_totals");
        KeyedStream<Long> totals = flow.input("inp", new CsvSource(Path.of((String) args.get(0))))
                .keyOn("region", row -> column(row, "region"))
                .mapValue("amount", row -> Long.parseLong(column(row, "amount").trim()))
                .foldFinal("sum", () -> 0L, Long::sum);
        KeyedStream.of(totals.map("format", kv -> new KV<>(kv.key(), kv.key() + "," + kv.value())))
                .output("out", new DirSink<>(Path.of((String) args.get(1)), 2));
        return flow;
    }

    private static String column(Map<String, String> row, String name) {
        String v = row.get(name);
        if (v == null) {
            throw new IllegalArgumentException("the CSV file has no '" + name + "' column; its columns are " + row.keySet());
        }
        return v;
    }
}

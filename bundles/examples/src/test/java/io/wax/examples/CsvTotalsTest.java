package io.wax.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.engine.Runner;
import io.wax.spi.engine.FlowFailedException;
import io.wax.spi.engine.RunOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's walk-through: a CSV file of sales in, per-region totals out, in a directory. */
class CsvTotalsTest {
    @TempDir
    Path tmp;

    @Test
    void sumsAmountsPerRegionIntoADirectory() throws IOException {
        Path sales = tmp.resolve("sales.csv");
        Files.writeString(sales, "region,product,amount\neu,tea,3\nus,coffee,5\neu,\"cake, large\",4\nasia,tea,2\nus,tea,1\n");
        for (int w : new int[] {1, 3}) {
            Path out = tmp.resolve("totals-" + w);
            Runner.run(new CsvTotals().build(List.of(sales.toString(), out.toString())),
                    RunOptions.defaults().withWorkers(w));
            List<String> lines = new ArrayList<>();
            for (String part : List.of("part_0", "part_1")) {
                lines.addAll(Files.readAllLines(out.resolve(part)));
            }
            assertEquals(List.of("asia,2", "eu,7", "us,6"), lines.stream().sorted().toList(), w + " worker(s)");
        }
    }

    @Test
    void aMissingColumnIsNamed() throws IOException {
        Path sales = tmp.resolve("sales.csv");
        Files.writeString(sales, "region,price\neu,3\n");
        FlowFailedException e = assertThrows(FlowFailedException.class, () -> Runner.run(
                new CsvTotals().build(List.of(sales.toString(), tmp.resolve("out").toString())), RunOptions.defaults()));
        assertTrue(e.getMessage().contains("the CSV file has no 'amount' column; its columns are [region, price]"), e.getMessage());
    }
}

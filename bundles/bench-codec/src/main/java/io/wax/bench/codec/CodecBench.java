package io.wax.bench.codec;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Wax's codecs, Kryo and Fory on W2's batch (see {@link W2Batch}): first the bytes per item of
 * each shape, then JMH's nanoseconds per item to encode and to decode a batch. JMH's forks run
 * with this JVM's options, which {@code exec:exec} sets to bin/wax's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBench {
    @Param({"wax", "kryo", "fory"})
    public String codec;

    @Param({"exchange", "state", "outputs"})
    public String shape;

    private Contender c;
    private W2Batch batch;
    private byte[] bytes;
    private final Object[] into = new Object[2 * W2Batch.SIZE];

    @Setup(Level.Trial)
    public void setUp() {
        for (Contender x : Contender.all()) {
            if (x.name().equals(codec)) {
                c = x;
            }
        }
        batch = new W2Batch();
        bytes = encode();
    }

    @Benchmark
    @OperationsPerInvocation(W2Batch.SIZE)
    public byte[] encode() {
        return switch (shape) {
            case "exchange" -> Contender.exchange(c, batch);
            case "state" -> Contender.state(c, batch);
            default -> Contender.outputs(c, batch);
        };
    }

    @Benchmark
    @OperationsPerInvocation(W2Batch.SIZE)
    public Object decode() {
        int n = shape.equals("outputs") ? c.decodeObjects(bytes, into) : c.decodePairs(bytes, into);
        return into[n - 1];
    }

    public static void main(String[] args) throws Exception {
        W2Batch b = new W2Batch();
        System.out.println("# bytes per item of W2's batch (" + W2Batch.SIZE + " items):");
        for (Contender x : Contender.all()) {
            System.out.printf("BYTES %s exchange=%.1f state=%.1f outputs=%.1f%n", x.name(),
                    Contender.exchange(x, b).length / (double) W2Batch.SIZE,
                    Contender.state(x, b).length / (double) W2Batch.SIZE,
                    Contender.outputs(x, b).length / (double) W2Batch.SIZE);
        }
        List<String> jvm = new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments());
        System.out.println("# JMH forks run with " + jvm);
        Options cli = new CommandLineOptions(args);
        Options opts = new OptionsBuilder().parent(cli).include(CodecBench.class.getSimpleName())
                .forks(cli.getForkCount().orElse(1)).warmupIterations(cli.getWarmupIterations().orElse(3))
                .warmupTime(cli.getWarmupTime().orElse(org.openjdk.jmh.runner.options.TimeValue.seconds(1)))
                .measurementIterations(cli.getMeasurementIterations().orElse(5))
                .measurementTime(cli.getMeasurementTime().orElse(org.openjdk.jmh.runner.options.TimeValue.seconds(1)))
                .jvmArgs(jvm.toArray(String[]::new)).build();
        new Runner(opts).run();
    }
}

package io.wax.kafka.broker;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives tests a real Kafka broker ({@link LocalKafka}). One broker serves
 * every test class of a test JVM: it starts before the first class that uses it and stops when the
 * JVM's tests are done. Tests should use their own topics.
 *
 * <pre>{@code
 * @ExtendWith(LocalKafkaExtension.class)
 * class MyTest {
 *     @Test
 *     void reads(LocalKafka kafka) {
 *         kafka.createTopic("t", 3);
 *     }
 * }
 * }</pre>
 *
 * The broker's directory is {@code target/local-kafka-test} (or the system property
 * {@code wax.kafka.test.dir}); its log stays there after the run.
 */
public final class LocalKafkaExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LocalKafkaExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        broker(context);
    }

    /** The shared broker, started on first use. */
    public static LocalKafka broker(ExtensionContext context) {
        return context.getRoot().getStore(NS).getOrComputeIfAbsent("broker", k -> {
            try {
                Path dir = Path.of(System.getProperty("wax.kafka.test.dir", "target/local-kafka-test"));
                Files.createDirectories(dir);
                return new Resource(LocalKafka.start(dir.toAbsolutePath()));
            } catch (Exception e) {
                throw new IllegalStateException("could not start the test Kafka broker: " + e.getMessage(), e);
            }
        }, Resource.class).kafka;
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == LocalKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return broker(e);
    }

    private record Resource(LocalKafka kafka) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            kafka.close();
        }
    }
}

package io.wax.kafka.broker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code local-kafka status}, {@code stop} and the others find the broker by its command line,
 * which the JDK reports cut at 4,096 characters; the broker's classpath alone is about that long
 * (4,300 characters with {@code /root/.m2}), and longer with a longer repository path.
 */
class LocalKafkaCommandTest {
    private static final int JDK_LIMIT = 4096;

    /** The command line of {@code mainClass} as another process sees it, with a long classpath. */
    private static String asReported(String mainClass) throws Exception {
        List<String> cmd = new ArrayList<>(LocalKafka.javaCommand(Path.of("log4j2.properties"), mainClass,
                "server.properties"));
        int cp = cmd.indexOf("-cp") + 1;
        cmd.set(cp, cmd.get(cp) + ":/a/long/repository/path".repeat(200));
        String line = String.join(" ", cmd);
        return line.substring(0, JDK_LIMIT);
    }

    @Test
    void recognisesTheBrokerWhenItsCommandLineIsCutShort() throws Exception {
        assertTrue(LocalKafka.isBrokerCommand(asReported("kafka.Kafka")));
    }

    @Test
    void doesNotTakeTheStorageToolOrAnotherProcessForTheBroker() throws Exception {
        assertFalse(LocalKafka.isBrokerCommand(asReported("kafka.tools.StorageTool")));
        assertFalse(LocalKafka.isBrokerCommand("/usr/bin/java -cp app.jar kafka.Kafka server.properties"));
    }
}

package io.wax.itests;

import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Test;

/** The Karaf features repository lists every bundle the distribution ships, at this version. */
public class FeaturesTest {
    @Test
    public void everyShippedBundleIsInAFeature() throws Exception {
        String features = Files.readString(Path.of(System.getProperty("wax.features", "../features/target/classes/features.xml")));
        assertTrue("versions are filled in by the build", !features.contains("${project.version}"));
        Path dist = ExamSetup.dist();
        for (Path dir : List.of(dist.resolve("bundle"), dist.resolve("bundle/shell"), dist.resolve("deploy"))) {
            try (Stream<Path> jars = Files.list(dir)) {
                for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                    String artifact = jar.getFileName().toString().replaceFirst("\\.jar$", "");
                    assertTrue(artifact + " (" + dir + ") is in no feature", features.contains("/" + artifact + "/"));
                }
            }
        }
    }
}

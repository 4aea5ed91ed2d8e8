package io.wax.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ops4j.pax.exam.Option;

/**
 * The framework the Exam tests boot: the distribution's own headless bundle set
 * ({@code bundle/*.jar}) and its example flows, with SLF4J exported by the system bundle as
 * {@code bin/wax} does. Bundles come from the built distribution, so the tests see exactly what
 * ships.
 */
final class ExamSetup {
    private ExamSetup() {
    }

    static Path dist() {
        return Path.of(System.getProperty("wax.dist", "../distribution/target/wax")).toAbsolutePath().normalize();
    }

    /** A fixture flow bundle built by itests/flows (hello-v1, hello-v2, broken, faulty). */
    static Path testFlow(String name) {
        return Path.of(System.getProperty("wax.flows", "target/test-flows")).resolve("wax-itests-" + name + ".jar")
                .toAbsolutePath();
    }

    static Option[] options() throws IOException {
        List<Option> o = new ArrayList<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dist().resolve("bundle"), "*.jar")) {
            for (Path jar : jars) {
                o.add(bundle(jar.toUri().toString()));
            }
        }
        o.add(bundle(dist().resolve("deploy/wax-examples.jar").toUri().toString()));
        o.add(systemPackages("org.slf4j;version=2.0.16", "org.slf4j.spi;version=2.0.16", "org.slf4j.event;version=2.0.16",
                "org.slf4j.helpers;version=2.0.16"));
        o.add(junitBundles());
        o.add(cleanCaches());
        return o.toArray(new Option[0]);
    }
}

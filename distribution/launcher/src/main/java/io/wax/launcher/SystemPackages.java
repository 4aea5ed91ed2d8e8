package io.wax.launcher;

import io.wax.runtime.WaxRuntime;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.osgi.service.log.LogReaderService;
import org.slf4j.LoggerFactory;

/**
 * The packages the system bundle exports besides the JDK's: SLF4J (its provider lives on the
 * launcher's class path, so no service-loader mediator is needed inside the framework), the OSGi
 * log API (so the launcher can forward the framework log, see {@link LogBridge}) and
 * {@code io.wax.runtime}, so the launcher and the bundles share the one {@link WaxRuntime} type.
 * Versions come from the jars' own {@code Export-Package} headers, never from a copy here.
 */
final class SystemPackages {
    private SystemPackages() {
    }

    static String extra() {
        return exports(LoggerFactory.class) + "," + exports(LogReaderService.class) + "," + exports(WaxRuntime.class);
    }

    private static String exports(Class<?> c) {
        try {
            Path jar = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
            try (JarFile f = new JarFile(jar.toFile())) {
                String header = f.getManifest().getMainAttributes().getValue("Export-Package");
                if (header == null) {
                    throw new IllegalStateException(jar + " has no Export-Package header");
                }
                return header;
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot read the exports of " + c.getName() + "'s jar: " + e, e);
        }
    }
}

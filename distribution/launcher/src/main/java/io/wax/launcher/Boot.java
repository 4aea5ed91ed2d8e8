package io.wax.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWiring;

/**
 * Starts Felix with the distribution's bundles: {@code bundle/*.jar} always, plus
 * {@code bundle/shell/*.jar} for the interactive shell. FileInstall then installs
 * {@code deploy/} (bundles) and {@code etc/} (configurations) synchronously on its first scan, so
 * the deployed flows are there when {@link #start} returns, and keeps watching both.
 */
final class Boot {
    private static final Logger LOG = Logger.getLogger(Boot.class.getName());
    /** Started last, in this order: FileInstall once the runtime is up, the shell after everything. */
    private static final List<String> LAST = List.of("org.apache.felix.fileinstall", "org.apache.felix.gogo.jline");

    private static final String LOG_BUNDLE = "org.apache.felix.log";

    private Boot() {
    }

    static Framework start(Home home, Cache cache, boolean shell) throws Exception {
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path (lib/)"));
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, String> props = (Map) properties(home, cache); // Felix takes objects too (the logger)
        Framework fw = factory.newFramework(props);
        fw.init();
        List<Bundle> bundles = new ArrayList<>();
        BundleContext ctx = fw.getBundleContext();
        for (Path jar : jars(home.bundles())) {
            bundles.add(ctx.installBundle("reference:" + jar.toUri()));
        }
        if (shell) {
            for (Path jar : jars(home.shellBundles())) {
                bundles.add(ctx.installBundle("reference:" + jar.toUri()));
            }
        }
        fw.start();
        // The log service first, so that SCR and the rest log through it from their first message.
        bundles.sort(Comparator.comparingInt(b -> b.getSymbolicName().equals(LOG_BUNDLE) ? -1 : LAST.indexOf(b.getSymbolicName())));
        for (Bundle b : bundles) {
            if ((b.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) == 0) {
                startBundle(b, bundles);
            }
            if (b.getSymbolicName().equals(LOG_BUNDLE)) {
                LogBridge.attach(ctx);
            }
        }
        return fw;
    }

    private static void startBundle(Bundle b, List<Bundle> all) {
        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        if ("org.apache.felix.gogo.jline".equals(b.getSymbolicName())) {
            // JLine finds its terminal providers through the context loader: without this the
            // shell gets a dumb terminal, with no line editing or completion.
            all.stream().filter(x -> "org.jline".equals(x.getSymbolicName())).findFirst()
                    .map(x -> x.adapt(BundleWiring.class)).map(BundleWiring::getClassLoader).ifPresent(t::setContextClassLoader);
        }
        try {
            b.start();
        } catch (BundleException e) {
            LOG.log(Level.SEVERE, "bundle " + b.getSymbolicName() + " (" + b.getLocation() + ") did not start: " + e.getMessage(), e);
        } finally {
            t.setContextClassLoader(old);
        }
    }

    private static Map<String, Object> properties(Home home, Cache cache) throws IOException {
        Map<String, Object> p = new HashMap<>();
        p.put(Constants.FRAMEWORK_STORAGE, cache.dir().toString());
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        p.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SystemPackages.extra());
        p.put("felix.log.level", "2");
        p.put("felix.log.logger", new FrameworkLog());
        p.put("ds.loglevel", "warn");
        p.put("felix.fileinstall.dir", home.deploy() + "," + home.etc());
        p.put("felix.fileinstall.filter", ".*\\.(jar|cfg|config)");
        p.put("felix.fileinstall.poll", "500");
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.bundles.new.start", "true");
        p.put("felix.fileinstall.log.default", "jul");
        p.put("felix.fileinstall.log.level", "3");
        p.put("felix.fileinstall.tmpdir", cache.dir().resolve("fileinstall").toString());
        p.put("gosh.home", home.root().toString());
        Path conf = home.etc().resolve("wax.properties");
        if (Files.isRegularFile(conf)) {
            Properties user = new Properties();
            try (InputStream in = Files.newInputStream(conf)) {
                user.load(in);
            }
            for (String k : user.stringPropertyNames()) {
                p.put(k, user.getProperty(k).replace("${wax.home}", home.root().toString()));
            }
        }
        return p;
    }

    private static List<Path> jars(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.jar")) {
                s.forEach(out::add);
            }
        }
        out.sort(null);
        return out;
    }
}

package io.wax.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * Starts the framework and every bundle.
     *
     * @param profile for the shell, its {@code etc/gosh_profile}; null for a headless command
     * @throws ConfigException when {@code etc/wax.properties}, the framework's storage folder or,
     *         for the shell, {@code etc/gosh_profile} cannot be used; nothing is left running then
     */
    static Framework start(Home home, Cache cache, GoshProfile profile) throws Exception {
        boolean shell = profile != null;
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path (lib/)"));
        Map<String, Object> p = properties(home, cache, profile);
        checkStorage(home, (String) p.get(Constants.FRAMEWORK_STORAGE));
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, String> props = (Map) p; // Felix takes objects too (the logger)
        Framework fw = factory.newFramework(props);
        cache.usedBy(fw);
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
        if (shell) {
            profile.install(fw, cache);
        }
        // The log service first, so that SCR and the rest log through it from their first message.
        bundles.sort(Comparator.comparingInt(b -> b.getSymbolicName().equals(LOG_BUNDLE) ? -1 : LAST.indexOf(b.getSymbolicName())));
        for (Bundle b : bundles) {
            if ("org.apache.felix.gogo.jline".equals(b.getSymbolicName())) {
                try {
                    profile.check(bundles);
                } catch (ConfigException e) {
                    fw.stop();
                    fw.waitForStop(10_000);
                    throw e;
                }
            }
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

    /** The folder must exist or be creatable, and be writable: Felix would fail later, with a stack trace. */
    private static void checkStorage(Home home, String dir) throws ConfigException {
        Path d = Path.of(dir);
        try {
            Files.createDirectories(d);
            Files.delete(Files.createTempFile(d, "probe", ".tmp"));
        } catch (IOException | RuntimeException e) {
            String why = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                    : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            throw new ConfigException("cannot use " + d + " as the framework's storage folder (" + why + "); set "
                    + Constants.FRAMEWORK_STORAGE + " in " + home.show(home.etc().resolve("wax.properties"))
                    + " to a writable folder, or give the JVM a writable java.io.tmpdir");
        }
    }

    private static Map<String, Object> properties(Home home, Cache cache, GoshProfile profile) throws ConfigException {
        Map<String, Object> p = new HashMap<>();
        p.put(Constants.FRAMEWORK_STORAGE, cache.dir().toString());
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        p.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SystemPackages.extra());
        p.put("felix.log.level", "2");
        p.put("felix.log.logger", new FrameworkLog());
        p.put("ds.loglevel", "warn");
        // The OSGi log's default level (R7 log admin): INFO, so that FileInstall's installs and updates show.
        p.put("org.osgi.service.log.admin.loglevel", "INFO");
        p.put("felix.fileinstall.dir", home.deploy() + "," + home.etc());
        p.put("felix.fileinstall.filter", ".*\\.(jar|cfg|config)");
        p.put("felix.fileinstall.poll", "500");
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.bundles.new.start", "true");
        p.put("felix.fileinstall.log.default", "jul");
        p.put("felix.fileinstall.log.level", "3");
        p.put("felix.fileinstall.tmpdir", cache.dir().resolve("fileinstall").toString());
        if (profile != null) {
            // Gogo runs ${gosh.home}/etc/gosh_profile, here one that has the shell bundle run ours (see GoshProfile).
            p.put("gosh.home", GoshProfile.goshHome(cache).toString());
            p.put(GoshProfile.FILE_PROPERTY, profile.file().toString());
        }
        // Read by Wax's bundles: a headless command keeps deploy-time notices in the log file.
        p.put("wax.launch", profile != null ? "shell" : "headless");
        Path conf = home.etc().resolve("wax.properties");
        for (Map.Entry<String, Settings.Entry> e : Settings.read(home, conf).entrySet()) {
            p.put(e.getKey(), e.getValue().value().replace("${wax.home}", home.root().toString()));
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

package io.wax.runtime.internal;

import io.wax.api.Dataflow;
import io.wax.plan.Plans;
import io.wax.plan.Step;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleReference;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleRevisions;
import org.osgi.framework.wiring.BundleWiring;

/**
 * Which build of each provider a run runs on (see {@code RunningFlow.builds()}), so that a swap
 * can be seen to run the new code. A build is read from the bundle revision that defined the
 * provider object's class, found by its class loader: during a swap the old and the new revision
 * of a bundle may both be installed, and only the revision whose code runs is asked. Its entries are
 * read directly ({@link BundleWiring#findEntries}), never through class loader delegation, so no
 * other bundle's resource of the same name can answer.
 */
final class Builds {
    /** The resource a build may carry: a properties file with {@code build=MARK}. */
    static final String RESOURCE = "META-INF/wax-build.properties";

    private Builds() {
    }

    /**
     * The builds of the code a run starts on: the engine, the transport and the store (each may be
     * null: not used), then {@code flow}'s (see {@link #flow}).
     */
    static Map<String, String> of(Object engine, Object transport, Object store, Map<String, String> flow) {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, "engine", engine);
        put(m, "transport", transport);
        put(m, "store", store);
        m.putAll(flow);
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * The builds of a flow just built: its bundle's (by the loader it was built with) and, as
     * {@code connectors}, those of its inputs' and outputs' classes from other bundles. Read while
     * the flow's revision is installed: after a refused update the run goes on with the old
     * objects, whose revision Felix may have dropped, and still names their build.
     */
    static Map<String, String> flow(ClassLoader flowLoader, Dataflow flow) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("flow", of(flowLoader, "the flow"));
        List<String> connectors = new ArrayList<>();
        for (Step s : Plans.of(flow).steps()) {
            Object io = s instanceof Step.Input in ? in.source() : s instanceof Step.Output out ? out.sink() : null;
            if (io != null && io.getClass().getClassLoader() != flowLoader) {
                String b = of(io.getClass().getClassLoader(), io.getClass().getName());
                if (!connectors.contains(b)) {
                    connectors.add(b);
                }
            }
        }
        if (!connectors.isEmpty()) {
            m.put("connectors", String.join(" and ", connectors));
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    private static void put(Map<String, String> m, String role, Object provider) {
        if (provider != null) {
            m.put(role, of(provider.getClass().getClassLoader(), provider.getClass().getName()));
        }
    }

    /** "engine io.wax.engine 0.1.0 build M, store ...": for a swap's outcome line and wax:status. */
    static String text(Map<String, String> builds) {
        StringBuilder b = new StringBuilder();
        builds.forEach((role, build) -> b.append(b.length() == 0 ? "" : ", ").append(role).append(' ').append(build));
        return b.toString();
    }

    /**
     * "SYMBOLIC-NAME VERSION build MARK", or "... built TIME" without the resource, of the bundle
     * revision whose class loader is {@code loader}; {@code what} names code from no bundle.
     */
    static String of(ClassLoader loader, String what) {
        if (!(loader instanceof BundleReference ref) || ref.getBundle() == null) {
            return what + " (not from a bundle)";
        }
        Bundle bundle = ref.getBundle();
        BundleWiring w = wiring(bundle, loader);
        if (w == null) { // an old revision, refreshed away: its entries are gone
            return bundle.getSymbolicName() + " (an earlier revision, no longer installed)";
        }
        BundleRevision r = w.getRevision();
        String name = r.getSymbolicName() + " " + r.getVersion();
        String mark = read(w, RESOURCE, in -> {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("build");
        });
        if (mark != null && !mark.isBlank()) {
            return name + " build " + mark.strip();
        }
        // A build without the resource (a released jar): the time bnd built it, from its own manifest.
        String built = read(w, "META-INF/MANIFEST.MF",
                in -> new java.util.jar.Manifest(in).getMainAttributes().getValue("Bnd-LastModified"));
        try {
            return built == null ? name : name + " built " + java.time.Instant.ofEpochMilli(Long.parseLong(built.strip()));
        } catch (NumberFormatException x) {
            return name;
        }
    }

    /** The wiring of the bundle's revision whose class loader is {@code loader}, or null. */
    private static BundleWiring wiring(Bundle bundle, ClassLoader loader) {
        BundleRevisions revisions = bundle.adapt(BundleRevisions.class);
        if (revisions == null) {
            return null;
        }
        for (BundleRevision r : revisions.getRevisions()) {
            BundleWiring w = r.getWiring();
            if (w != null && w.isInUse() && w.getClassLoader() == loader) {
                return w;
            }
        }
        return null;
    }

    private interface Reader {
        String read(InputStream in) throws IOException;
    }

    /** Reads the entry at {@code path} of the revision (or of a fragment attached to it; never of an import), or null. */
    private static String read(BundleWiring w, String path, Reader reader) {
        int slash = path.lastIndexOf('/');
        List<URL> found = w.findEntries(path.substring(0, slash), path.substring(slash + 1), 0);
        if (found == null || found.isEmpty()) {
            return null;
        }
        try (InputStream in = found.get(0).openStream()) {
            return reader.read(in);
        } catch (IOException | IllegalStateException x) {
            return null; // the revision went while it was read
        }
    }
}

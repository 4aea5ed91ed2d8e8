package io.wax.bench.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aQute.bnd.osgi.Analyzer;
import aQute.bnd.osgi.Jar;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.launch.Framework;

/**
 * Each codec used from a flow bundle in a real Felix framework, configured as Wax's launcher
 * configures it (Felix's defaults): the flow bundle holds its own record {@code Word}, registers
 * it and round-trips one.
 *
 * <p>Wax's API and Kryo (and its three dependencies) are OSGi bundles. fory-core is not (its
 * manifest has no Bundle-SymbolicName), so it is wrapped with bnd as a bundle exporting its
 * packages, the way a user would have to; the flow bundle imports Fory's API, once as is and once
 * with {@code DynamicImport-Package: *}.
 */
class OsgiProbeTest {
    private Path dir;
    private Framework fw;
    private BundleContext ctx;

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("osgi-probe");
        Map<String, String> config = new HashMap<>();
        config.put("org.osgi.framework.storage", dir.resolve("cache").toString());
        config.put("org.osgi.framework.storage.clean", "onFirstInit");
        fw = new FrameworkFactory().newFramework(config);
        fw.start();
        ctx = fw.getBundleContext();
    }

    @AfterEach
    void stop() throws Exception {
        fw.stop();
        fw.waitForStop(10_000);
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    @Test
    void waxCodecsWorkInAFlowBundle() throws Exception {
        ctx.installBundle(jarOf(io.wax.api.KV.class)).start();
        assertEquals("ok", deployAndRun("Wax", "io.wax.api.codec", false));
    }

    @Test
    void kryoWorksInAFlowBundle() throws Exception {
        for (Class<?> c : List.of(com.esotericsoftware.kryo.Kryo.class, com.esotericsoftware.minlog.Log.class,
                com.esotericsoftware.reflectasm.MethodAccess.class, org.objenesis.Objenesis.class)) {
            ctx.installBundle(jarOf(c));
        }
        assertEquals("ok", deployAndRun("Kryo", "com.esotericsoftware.kryo,com.esotericsoftware.kryo.io", false));
    }

    /**
     * Fory compiles a serializer for the flow's class in that class's loader, and the generated
     * code names Fory's internal classes: a flow bundle importing only Fory's API cannot load it.
     */
    @Test
    void foryFailsInAFlowBundleWithoutDynamicImports() throws Exception {
        installFory();
        String result = deployAndRun("Fory", "org.apache.fory,org.apache.fory.config", false);
        System.out.println("FINDING fory, flow bundle without DynamicImport-Package: " + result);
        assertTrue(result.contains("could not be found"),
                "Fory now works in OSGi without DynamicImport-Package, or fails otherwise; update the README: " + result);
    }

    @Test
    void foryWorksInAFlowBundleWithDynamicImports() throws Exception {
        installFory();
        assertEquals("ok", deployAndRun("Fory", "org.apache.fory,org.apache.fory.config", true));
    }

    // ---- helpers ----

    private void installFory() throws Exception {
        ctx.installBundle(jarOf(com.google.common.collect.ImmutableList.class));
        ctx.installBundle(jarOf(com.google.common.util.concurrent.internal.InternalFutureFailureAccess.class));
        ctx.installBundle("fory-wrapped", wrapFory());
    }

    /**
     * fory-core as a bundle: its packages exported, what it uses imported optionally, as bnd
     * computes, and any package dynamically (so that Fory itself could see flow classes by name).
     */
    private static InputStream wrapFory() throws Exception {
        try (Jar jar = new Jar(new File(jarPath(org.apache.fory.Fory.class))); Analyzer a = new Analyzer()) {
            a.setJar(jar);
            a.setProperty("Bundle-SymbolicName", "org.apache.fory.core");
            a.setProperty("Bundle-Version", "0.13.2");
            a.setProperty("Export-Package", "org.apache.fory.*");
            a.setProperty("Import-Package", "*;resolution:=optional");
            a.setProperty("DynamicImport-Package", "*");
            jar.setManifest(a.calcManifest());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            jar.write(out);
            return new ByteArrayInputStream(out.toByteArray());
        }
    }

    /** Installs a flow bundle, runs its probe and uninstalls it; returns "ok" or what the probe threw. */
    private String deployAndRun(String name, String imports, boolean dynamicImports) throws Exception {
        Bundle flow = flowBundle(name, imports, dynamicImports);
        try {
            return run(flow, name + "Probe");
        } finally {
            flow.uninstall();
        }
    }

    /** A flow bundle holding {@code Word} and one probe, importing {@code imports}. */
    private Bundle flowBundle(String name, String imports, boolean dynamicImports) throws Exception {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "probe." + name.toLowerCase());
        a.putValue("Import-Package", imports);
        if (dynamicImports) {
            a.putValue("DynamicImport-Package", "*");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, m)) {
            for (String c : List.of("Word", name + "Probe")) {
                String entry = "io/wax/bench/codec/probe/" + c + ".class";
                jar.putNextEntry(new JarEntry(entry));
                try (InputStream in = OsgiProbeTest.class.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(jar);
                }
            }
        }
        Bundle b = ctx.installBundle("probe:" + name, new ByteArrayInputStream(bytes.toByteArray()));
        b.start();
        return b;
    }

    /** Calls the probe's {@code run()} from its bundle; returns "ok" or what it threw. */
    private static String run(Bundle flow, String probe) throws Exception {
        Class<?> c = flow.loadClass("io.wax.bench.codec.probe." + probe);
        assertTrue(c.getClassLoader() != OsgiProbeTest.class.getClassLoader(), "probe loaded outside OSGi");
        try {
            return (String) c.getMethod("run").invoke(null);
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            while (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            return t.toString();
        }
    }

    private static String jarOf(Class<?> c) throws URISyntaxException, IOException {
        return new File(jarPath(c)).toURI().toString();
    }

    private static String jarPath(Class<?> c) throws URISyntaxException {
        String path = new File(c.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        assertTrue(path.endsWith(".jar"), c.getName() + " comes from " + path + ", not a jar: run with -pl bundles/bench-codec");
        return path;
    }
}

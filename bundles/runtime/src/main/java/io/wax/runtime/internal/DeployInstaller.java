package io.wax.runtime.internal;

import io.wax.runtime.FlowInfo;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the jars of {@code deploy/} (FileInstall watches the folder and hands every jar to this
 * installer instead of installing it itself), with rules that do not depend on the order files are
 * seen in:
 * <ul>
 * <li>a file that is not a bundle (empty, truncated, not a jar, no manifest, no symbolic name, a
 * bad version, a manifest the framework refuses) is never installed; {@code wax:flows} lists it as
 * {@code broken: FILE: reason}, and the log has one line about it;</li>
 * <li>of several jars of one bundle (same symbolic name) the highest version is installed; at equal
 * versions (a copy under another name) the one installed stays, else the oldest file, else the
 * first by name;
 * the others are ignored, with a warning naming them. Deleting an ignored jar changes nothing;
 * deleting the installed one installs the next in line;</li>
 * <li>a jar of a bundle that is part of Wax itself ({@code bundle/}) is ignored.</li>
 * </ul>
 */
@Component(service = {ArtifactInstaller.class, DeployInstaller.class}, immediate = true)
public final class DeployInstaller implements ArtifactInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(DeployInstaller.class);
    private static final long REFRESH_WAIT_SECONDS = 30;

    /** A jar in deploy/ as last read. */
    private record Jar(File file, String bsn, Version version, String problem, long stamp) {
    }

    private final BundleContext context;
    private final boolean headless;
    private final Map<File, Jar> jars = new TreeMap<>();
    private final Set<File> folders = new java.util.HashSet<>();
    /** Bundle symbolic name -> the jar installed for it and its bundle. */
    private final Map<String, Installed> installed = new HashMap<>();
    /** The reason each jar is ignored or broken, as last logged: every notice is logged once. */
    private final Map<File, String> noticed = new HashMap<>();

    private record Installed(Jar jar, Bundle bundle) {
    }

    @Activate
    public DeployInstaller(BundleContext context) {
        this.context = context;
        this.headless = "headless".equals(context.getProperty("wax.launch"));
    }

    /** Uninstalls what it installed: the flows go with the runtime. */
    @Deactivate
    synchronized void deactivate() {
        for (Installed i : installed.values()) {
            try {
                i.bundle().uninstall();
            } catch (BundleException | IllegalStateException e) {
                LOG.debug("could not uninstall {}", i.jar().file(), e);
            }
        }
        installed.clear();
    }

    @Override
    public boolean canHandle(File artifact) {
        return artifact.getName().endsWith(".jar");
    }

    @Override
    public synchronized void install(File artifact) {
        readFolder(artifact.getParentFile());
        reread(artifact);
        reconcile();
    }

    @Override
    public synchronized void update(File artifact) {
        readFolder(artifact.getParentFile());
        reread(artifact);
        reconcile();
    }

    /** A jar the framework refused stays refused until the file changes: no retry, no second notice. */
    private void reread(File artifact) {
        Jar now = read(artifact);
        Jar before = jars.get(artifact);
        if (before == null || before.problem() == null || before.stamp() != now.stamp()) {
            jars.put(artifact, now);
        }
    }

    /**
     * Reads every jar of the folder the first time one of them comes: FileInstall hands them over
     * one at a time, in an order of its own, and the choice between them must not depend on it.
     */
    private void readFolder(File dir) {
        if (dir == null || !folders.add(dir)) {
            return;
        }
        File[] all = dir.listFiles((d, name) -> name.endsWith(".jar"));
        for (File f : all == null ? new File[0] : all) {
            jars.putIfAbsent(f, read(f));
        }
    }

    @Override
    public synchronized void uninstall(File artifact) {
        jars.remove(artifact);
        noticed.remove(artifact);
        reconcile();
    }

    /** A row for {@code wax:flows} per jar that cannot be installed. */
    public synchronized List<FlowInfo> broken() {
        List<FlowInfo> out = new ArrayList<>();
        for (Jar j : jars.values()) {
            if (j.problem() != null) {
                out.add(new FlowInfo(null, List.of(), j.file().getName(), "", j.file().getName() + ": " + j.problem()));
            }
        }
        return out;
    }

    /** The file a bundle was installed from, for messages, or its location. */
    public synchronized String fileOf(Bundle b) {
        for (Installed i : installed.values()) {
            if (i.bundle().getBundleId() == b.getBundleId()) {
                return "deploy/" + i.jar().file().getName();
            }
        }
        return b.getLocation();
    }

    private static Jar read(File f) {
        long stamp = f.lastModified() ^ f.length();
        if (f.length() == 0) {
            return new Jar(f, null, null, "the file is empty", stamp);
        }
        Manifest m;
        try (JarFile jar = new JarFile(f)) {
            m = jar.getManifest();
        } catch (ZipException e) {
            return new Jar(f, null, null, "not a jar file, or a truncated one (" + e.getMessage() + ")", stamp);
        } catch (IOException | SecurityException e) {
            return new Jar(f, null, null, "cannot be read: " + e.getMessage(), stamp);
        }
        if (m == null) {
            return new Jar(f, null, null, "no META-INF/MANIFEST.MF: not an OSGi bundle", stamp);
        }
        String bsn = m.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
        if (bsn == null || bsn.isBlank()) {
            return new Jar(f, null, null, "no Bundle-SymbolicName in its manifest: not an OSGi bundle", stamp);
        }
        bsn = bsn.split(";")[0].trim();
        String v = m.getMainAttributes().getValue(Constants.BUNDLE_VERSION);
        Version version;
        try {
            version = v == null ? Version.emptyVersion : Version.parseVersion(v.trim());
        } catch (IllegalArgumentException e) {
            return new Jar(f, bsn, null, "bad Bundle-Version '" + v + "' (" + e.getMessage()
                    + "); a version is MAJOR.MINOR.MICRO.QUALIFIER, e.g. 1.0.0", stamp);
        }
        return new Jar(f, bsn, version, null, stamp);
    }

    /** Brings the installed bundles in line with the jars: see the class comment. */
    private void reconcile() {
        Map<String, List<Jar>> byBsn = new TreeMap<>();
        for (Jar j : jars.values()) {
            if (j.problem() == null) {
                byBsn.computeIfAbsent(j.bsn(), k -> new ArrayList<>()).add(j);
            } else {
                notice(j.file(), "deploy/" + j.file().getName() + " is broken: " + j.problem());
            }
        }
        Set<Bundle> changed = new LinkedHashSet<>();
        List<Bundle> toStart = new ArrayList<>();
        for (String bsn : new ArrayList<>(installed.keySet())) {
            if (!byBsn.containsKey(bsn)) {
                uninstall(installed.remove(bsn), changed);
            }
        }
        for (Map.Entry<String, List<Jar>> e : byBsn.entrySet()) {
            String bsn = e.getKey();
            Bundle builtIn = builtIn(bsn);
            if (builtIn != null) {
                for (Jar j : e.getValue()) {
                    notice(j.file(), "deploy/" + j.file().getName() + " is ignored: bundle " + bsn
                            + " is part of Wax (" + builtIn.getLocation() + "); it cannot be replaced from deploy/");
                }
                continue;
            }
            Installed now = installed.get(bsn);
            Jar chosen = choose(e.getValue(), now);
            for (Jar j : e.getValue()) {
                if (j != chosen) {
                    notice(j.file(), "deploy/" + j.file().getName() + " is ignored: " + (j.version().equals(chosen.version())
                            ? "it is another copy of " + bsn + " " + j.version() + ", which deploy/" + chosen.file().getName()
                            + " provides" : "deploy/" + chosen.file().getName() + " has a higher version of " + bsn + " ("
                            + chosen.version() + " over " + j.version() + ")"));
                } else {
                    noticed.remove(j.file());
                }
            }
            if (now != null && now.jar().file().equals(chosen.file()) && now.jar().stamp() == chosen.stamp()) {
                continue;
            }
            if (now != null && now.jar().file().equals(chosen.file())) {
                update(chosen, now, changed, toStart);
            } else {
                if (now != null) {
                    uninstall(installed.remove(bsn), changed);
                }
                install(chosen, toStart);
            }
        }
        refresh(changed);
        for (Bundle b : toStart) {
            start(b);
        }
    }

    /**
     * The highest version; at equal versions the installed jar, else the oldest file (a copy is
     * newer than its original), else the first by name.
     */
    private static Jar choose(List<Jar> candidates, Installed now) {
        Comparator<Jar> order = Comparator.comparing(Jar::version)
                .thenComparing(j -> now != null && now.jar().file().equals(j.file()))
                .thenComparing(j -> -j.file().lastModified())
                .thenComparing(Jar::file, Comparator.reverseOrder());
        return candidates.stream().max(order).orElseThrow();
    }

    private Bundle builtIn(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName()) && installed.values().stream().noneMatch(i -> i.bundle().equals(b))) {
                return b;
            }
        }
        return null;
    }

    private void install(Jar j, List<Bundle> toStart) {
        try (InputStream in = Files.newInputStream(j.file().toPath())) {
            Bundle b = context.installBundle(j.file().toURI().toString(), in);
            installed.put(j.bsn(), new Installed(j, b));
            toStart.add(b);
            LOG.info("installed {} {} from deploy/{}", j.bsn(), j.version(), j.file().getName());
        } catch (BundleException | IOException | IllegalStateException e) {
            refuse(j, e);
        }
    }

    private void update(Jar j, Installed now, Set<Bundle> changed, List<Bundle> toStart) {
        try (InputStream in = Files.newInputStream(j.file().toPath())) {
            now.bundle().update(in);
            installed.put(j.bsn(), new Installed(j, now.bundle()));
            changed.add(now.bundle());
            toStart.add(now.bundle());
            LOG.info("updated {} to {} from deploy/{}", j.bsn(), j.version(), j.file().getName());
        } catch (BundleException | IOException | IllegalStateException e) {
            installed.remove(j.bsn());
            uninstall(now, changed);
            refuse(j, e);
        }
    }

    /** The framework refused the jar: it is broken, with the framework's reason. */
    private void refuse(Jar j, Exception e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause(); // Felix's own message is "Could not create bundle object."
        }
        String why = root.getMessage() == null ? root.toString() : root.getMessage();
        jars.put(j.file(), new Jar(j.file(), j.bsn(), j.version(), "the framework refuses its manifest: " + why, j.stamp()));
        notice(j.file(), "deploy/" + j.file().getName() + " is broken: the framework refuses its manifest: " + why);
    }

    private void uninstall(Installed i, Set<Bundle> changed) {
        try {
            i.bundle().uninstall();
            changed.add(i.bundle());
            LOG.info("uninstalled {} (deploy/{})", i.jar().bsn(), i.jar().file().getName());
        } catch (BundleException | IllegalStateException e) {
            LOG.info("could not uninstall {}", i.jar().file(), e);
        }
    }

    private void start(Bundle b) {
        try {
            b.start();
        } catch (BundleException | IllegalStateException e) {
            // An unresolved flow bundle: wax:flows names the packages it misses.
            LOG.info("bundle {} did not start: {}", b.getSymbolicName(), e.getMessage());
        }
    }

    /** Refreshes the bundles that were updated or uninstalled, and waits for it. */
    private void refresh(Set<Bundle> changed) {
        if (changed.isEmpty()) {
            return;
        }
        // Only bundles whose old revision is still wired need a refresh: refreshing a flow bundle
        // that nothing imports would stop and start it a second time, a second swap of its runs.
        FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_ID).adapt(FrameworkWiring.class);
        Set<Bundle> due = new java.util.HashSet<>(changed);
        due.retainAll(wiring.getRemovalPendingBundles());
        if (due.isEmpty()) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        wiring.refreshBundles(due, event -> done.countDown());
        try {
            if (!done.await(REFRESH_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("refreshing {} bundle(s) took more than {} s", changed.size(), REFRESH_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Logs a notice about a jar once, as long as it stays the same. */
    private void notice(File f, String message) {
        if (message.equals(noticed.put(f, message))) {
            return;
        }
        if (headless) {
            LOG.info(message); // wax flows shows broken jars; every headless command would repeat it on stderr
        } else {
            LOG.warn(message);
        }
    }
}

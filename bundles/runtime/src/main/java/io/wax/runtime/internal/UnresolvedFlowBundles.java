package io.wax.runtime.internal;

import io.wax.runtime.FlowInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;
import org.osgi.util.tracker.BundleTracker;

/**
 * Flow bundles (bundles importing the flow API) that are installed but not resolved, so that
 * {@code wax:flows} can say why their flow is missing instead of silently not listing it.
 */
final class UnresolvedFlowBundles extends BundleTracker<Bundle> {
    private static final Pattern PACKAGE_NAME = Pattern.compile("osgi\\.wiring\\.package=([^)]+)");
    private static final String FLOW_PACKAGE = "(osgi.wiring.package=io.wax.api.flow)";

    private final FrameworkWiring wiring;

    UnresolvedFlowBundles(BundleContext context) {
        super(context, Bundle.INSTALLED, null);
        this.wiring = context.getBundle(Constants.SYSTEM_BUNDLE_ID).adapt(FrameworkWiring.class);
    }

    @Override
    public Bundle addingBundle(Bundle bundle, BundleEvent event) {
        return importsFlowApi(bundle) ? bundle : null;
    }

    /** One entry per unresolved flow bundle, naming the packages nothing exports. */
    List<FlowInfo> infos() {
        List<FlowInfo> out = new ArrayList<>();
        for (Bundle b : getBundles() == null ? new Bundle[0] : getBundles()) {
            if (b.getState() == Bundle.INSTALLED) {
                out.add(new FlowInfo(null, List.of(), b.getSymbolicName(), b.getVersion().toString(), problem(b)));
            }
        }
        return out;
    }

    private String problem(Bundle b) {
        List<String> missing = new ArrayList<>();
        BundleRevision rev = b.adapt(BundleRevision.class);
        if (rev != null) {
            for (BundleRequirement r : rev.getDeclaredRequirements(PackageNamespace.PACKAGE_NAMESPACE)) {
                boolean optional = Namespace.RESOLUTION_OPTIONAL.equals(r.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE));
                if (!optional && wiring.findProviders(r).isEmpty()) {
                    String filter = r.getDirectives().getOrDefault(Namespace.REQUIREMENT_FILTER_DIRECTIVE, "?");
                    Matcher m = PACKAGE_NAME.matcher(filter);
                    missing.add(m.find() ? m.group(1) : filter);
                }
            }
        }
        return missing.isEmpty() ? "bundle is not resolved (see the log)"
                : "bundle is not resolved: no bundle exports package " + String.join(", ", missing);
    }

    private static boolean importsFlowApi(Bundle b) {
        BundleRevision rev = b.adapt(BundleRevision.class);
        if (rev == null) {
            return false;
        }
        for (BundleRequirement r : rev.getDeclaredRequirements(PackageNamespace.PACKAGE_NAMESPACE)) {
            String filter = r.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE);
            if (filter != null && filter.contains(FLOW_PACKAGE)) {
                return true;
            }
        }
        return false;
    }
}

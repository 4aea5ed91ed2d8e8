package io.wax.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster flags' Kubernetes forms, as Bytewax's helm chart derives them: a StatefulSet names
 * its pods {@code NAME-0}, {@code NAME-1}, ..., so a pod's process id is the ordinal at the end of
 * its host name, and a headless service gives every pod the DNS name
 * {@code NAME-N.SERVICE}, so the addresses follow from a pattern and the replica count.
 */
final class StatefulSet {
    /** What {@code -i} takes instead of a number: read the id from the host name. */
    static final String ORDINAL = "ordinal";
    /** Stands for the process index in an {@code --addresses-from} pattern. */
    static final String INDEX = "{i}";
    /** A sanity bound: more is surely a typo, and would make as many addresses. */
    static final int MAX_PROCESSES = 1024;

    /** A DNS label (lower-case letters, digits, inner dashes) ending in {@code -N}. */
    private static final Pattern POD_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?-([0-9]+)");

    private StatefulSet() {
    }

    /**
     * The ordinal of a StatefulSet pod from its host name: {@code wax-2} or
     * {@code wax-2.wax.default.svc.cluster.local} give 2.
     *
     * @throws UsageException naming the host name when it is no StatefulSet pod's
     */
    static int ordinal(String hostName) {
        if (hostName == null || hostName.isBlank()) {
            throw new UsageException("reads the StatefulSet pod's ordinal from the host name in HOSTNAME, which is not set"
                    + " (Kubernetes sets it in every container); outside a StatefulSet give a number");
        }
        String label = hostName.strip();
        int dot = label.indexOf('.');
        if (dot >= 0) {
            label = label.substring(0, dot);
        }
        Matcher m = POD_NAME.matcher(label);
        if (!m.matches()) {
            throw new UsageException("reads the StatefulSet pod's ordinal from a host name NAME-N, but the host name is '"
                    + hostName.strip() + "'; outside a StatefulSet give a number");
        }
        try {
            return Integer.parseInt(m.group(2));
        } catch (NumberFormatException e) {
            throw new UsageException("found no usable ordinal at the end of the host name '" + hostName.strip() + "'");
        }
    }

    /**
     * The addresses of {@code processes} pods: {@code pattern} with {@link #INDEX} replaced by
     * 0, 1, ..., joined by {@code ;} as {@code -a} takes them.
     *
     * @throws UsageException when the pattern lacks {@link #INDEX} or contains {@code ;}
     */
    static String addresses(String pattern, int processes) {
        if (!pattern.contains(INDEX)) {
            throw new UsageException("needs a pattern with " + INDEX + " where the process index goes, e.g. \"wax-"
                    + INDEX + ".wax:2101\", got '" + pattern + "'");
        }
        if (pattern.contains(";")) {
            throw new UsageException("takes one HOST:PORT pattern, not a list, got '" + pattern + "'");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            out.add(pattern.strip().replace(INDEX, Integer.toString(i)));
        }
        return String.join(";", out);
    }
}

package io.wax.launcher;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/** Felix's own log (set as {@code felix.log.logger}), sent to java.util.logging instead of stdout. */
final class FrameworkLog extends org.apache.felix.framework.Logger {
    private static final Logger LOG = Logger.getLogger("org.apache.felix.framework");

    @Override
    protected void doLog(Bundle bundle, @SuppressWarnings("rawtypes") ServiceReference sr, int level, String msg,
                         Throwable t) {
        Level l = switch (level) {
            case LOG_ERROR -> Level.SEVERE;
            case LOG_WARNING -> Level.WARNING;
            case LOG_INFO -> Level.INFO;
            default -> Level.FINE;
        };
        String from = bundle == null ? "" : "[" + bundle.getSymbolicName() + "] ";
        LOG.log(l, from + msg, t);
    }
}

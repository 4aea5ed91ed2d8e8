package io.wax.launcher;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogReaderService;

/**
 * Forwards the OSGi log (SCR, FileInstall's bundle errors, anything using LogService or
 * LoggerFactory) to java.util.logging, hence to {@code log/wax.log} and, for warnings and errors,
 * stderr. Without a log service SCR prints to stdout, which must carry flow output only.
 */
final class LogBridge {
    private LogBridge() {
    }

    static void attach(BundleContext ctx) {
        ServiceReference<LogReaderService> ref = ctx.getServiceReference(LogReaderService.class);
        if (ref == null) {
            Logger.getLogger(LogBridge.class.getName()).warning("no OSGi log service: SCR will print to stdout");
            return;
        }
        ctx.getService(ref).addLogListener(LogBridge::forward);
    }

    private static void forward(LogEntry e) {
        Level level = switch (e.getLogLevel()) {
            case AUDIT, ERROR -> Level.SEVERE;
            case WARN -> Level.WARNING;
            case INFO -> Level.INFO;
            default -> Level.FINE;
        };
        // Under "osgi.": the console shows Wax's own messages only (see Logging); the raw text of
        // SCR, FileInstall and the framework goes to the log file.
        String name = e.getLoggerName() == null ? "osgi" : "osgi." + e.getLoggerName();
        if (name.startsWith("osgi.Events.") && level == Level.INFO) {
            level = Level.FINE; // every bundle and service event: debugging detail, not the log's story
        }
        String from = e.getBundle() == null ? "" : "[" + e.getBundle().getSymbolicName() + "] ";
        Logger.getLogger(name).log(level, from + e.getMessage(), e.getException());
    }
}

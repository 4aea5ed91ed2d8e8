package io.wax.shell;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.felix.service.command.CommandSession;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * {@code wax:profile}: runs the distribution's {@code etc/gosh_profile}, for {@code bin/wax}'s
 * shell only (the launcher's {@code GoshProfile} has Gogo run this command instead of the file).
 * Gogo would answer a command of the profile that fails with a stack trace and a shell that exits
 * 0; here the failure is reported, with its line, to the launcher, which stops Wax with one error
 * and exit 1.
 */
final class Profile {
    /** The framework property naming the profile; set by bin/wax's launcher only. */
    static final String FILE_PROPERTY = "wax.gosh.profile";
    /** The launcher's service that takes (line, what went wrong). */
    static final String SERVICE_FILTER = "(wax.profile=failed)";
    /** Where Gogo was in a script when a command failed: "URI:LINE.COLUMN", both from 0. */
    private static final Pattern LOCATION = Pattern.compile(":(\\d+)\\.(\\d+)$");

    private Profile() {
    }

    /**
     * @param atStart whether this is the shell's start, when a failure ends the shell; run again
     *        later (wax:profile typed at the prompt), a failure is an ordinary command's
     */
    static void run(CommandSession session, boolean atStart) throws Exception {
        var bundle = FrameworkUtil.getBundle(Profile.class);
        BundleContext ctx = bundle == null ? null : bundle.getBundleContext();
        String file = ctx == null ? null : ctx.getProperty(FILE_PROPERTY);
        if (file == null || Files.notExists(Path.of(file))) {
            return; // not bin/wax's shell, or no profile: Gogo's plain shell
        }
        Path path = Path.of(file);
        String text = Files.readString(path, UTF_8);
        Object script = session.get("0");
        session.put("0", path.toUri()); // the profile's $0, as if Gogo ran it (it finds etc/motd by it)
        try {
            session.execute(text);
        } catch (Exception e) {
            BiConsumer<Integer, String> launcher = atStart ? launcher(ctx) : null;
            if (launcher == null) {
                throw e;
            }
            int line = line(session.get(".location"));
            launcher.accept(line, what(text, line, e));
            // Wax is stopping: Gogo ends this shell by interrupting its thread, and reports nothing then.
            TimeUnit.SECONDS.sleep(30);
            throw e;
        } finally {
            session.put("0", script);
        }
    }

    @SuppressWarnings("unchecked")
    private static BiConsumer<Integer, String> launcher(BundleContext ctx) throws InvalidSyntaxException {
        ServiceReference<?>[] refs = ctx.getServiceReferences(BiConsumer.class.getName(), SERVICE_FILTER);
        return refs == null || refs.length == 0 ? null : (BiConsumer<Integer, String>) ctx.getService(refs[0]);
    }

    /** The line (from 1) where the failing command is; 0 if Gogo did not say. */
    static int line(Object location) {
        Matcher m = location == null ? null : LOCATION.matcher(location.toString());
        return m != null && m.find() ? Integer.parseInt(m.group(1)) + 1 : 0;
    }

    /** What went wrong, and what to do: the line's text, the fault in a few words. */
    static String what(String text, int line, Exception e) {
        List<String> lines = text.lines().toList();
        String command = line >= 1 && line <= lines.size() ? "'" + lines.get(line - 1).strip() + "' " : "a command ";
        String fault = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e.getClass().getSimpleName().equals("CommandNotFoundException")) {
            fault = fault.replaceFirst("^Command not found: (.*)$", "there is no command '$1'");
        } else if (e.getMessage() != null) {
            fault = e.getClass().getSimpleName() + ": " + fault;
        }
        return command + "failed: " + fault + "; fix or remove it (a command that may fail belongs inside the profile's"
                + " try { ... } block, which reports the failure and goes on), or restore the shipped file from the"
                + " distribution's archive";
    }
}

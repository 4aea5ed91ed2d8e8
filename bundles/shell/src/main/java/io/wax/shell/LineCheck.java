package io.wax.shell;

import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks at a command line before Gogo runs it, for the two mistakes Gogo answers with raw text: a
 * getter with parentheses left unquoted (Gogo reads it as a file pattern: "no matches found:
 * parametric(3)"), which is quoted for the user, and an unknown command.
 *
 * @param line the line to run instead ({@code ""} to run nothing)
 * @param message what to tell the user, or {@code null}
 */
record LineCheck(String line, String message) {
    /** {@code run NAME(...)} or {@code describe NAME(...)}, the getter unquoted, then flags. */
    private static final Pattern UNQUOTED_GETTER = Pattern.compile(
            "^(\\s*(?:wax:)?(?:run|describe)\\s+(?:-\\S+\\s+)*)([A-Za-z0-9_-]+\\s*\\([^'\"]*\\)|[A-Za-z0-9_-]+\\s*\\(\"[^']*\\))(.*)$");
    /** A first word that can only be a command's name (no variables, closures, assignments, ...). */
    private static final Pattern COMMAND = Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_.-]*(?::[A-Za-z_][A-Za-z0-9_.-]*)?)(\\s.*)?$");

    static LineCheck of(String text, Predicate<String> knownCommand) {
        Matcher g = UNQUOTED_GETTER.matcher(text);
        if (g.matches() && !g.group(2).contains("'")) {
            String quoted = g.group(1) + "'" + g.group(2) + "'" + g.group(3);
            return new LineCheck(quoted, "wax: a getter with parentheses must be quoted for the shell; running: "
                    + quoted.strip());
        }
        Matcher c = COMMAND.matcher(text);
        if (c.matches() && !text.contains("=") && !knownCommand.test(c.group(1))) {
            return new LineCheck("", "wax: unknown command '" + c.group(1) + "'; type help for the commands");
        }
        return new LineCheck(text, null);
    }
}

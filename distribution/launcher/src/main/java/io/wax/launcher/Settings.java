package io.wax.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code KEY=VALUE} file of {@code etc/} ({@code wax.properties}, {@code logging.properties}),
 * read strictly so that a fault is reported with its line instead of being read as something else:
 * every line that is not blank or a comment ({@code #}, {@code !}) is {@code KEY=VALUE} or
 * {@code KEY: VALUE}, a trailing {@code \} continues it on the next line, and escapes are those of
 * {@link java.util.Properties} ({@code \t}, {@code \n}, {@code \\u00e9}, ...).
 */
final class Settings {
    /** A value and the line it starts on. */
    record Entry(String value, int line) {
    }

    private Settings() {
    }

    /** The file's entries in order; an absent file has none. */
    static Map<String, Entry> read(Home home, Path file) throws ConfigException {
        Map<String, Entry> out = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw ConfigException.at(home, file, 0, "is not UTF-8 text");
        } catch (IOException e) {
            throw ConfigException.at(home, file, 0, "cannot be read: " + e);
        }
        for (int i = 0; i < lines.size(); i++) {
            int start = i + 1;
            StringBuilder logical = new StringBuilder(lines.get(i).strip());
            while (endsWithContinuation(logical) && i + 1 < lines.size()) {
                logical.setLength(logical.length() - 1);
                logical.append(lines.get(++i).strip());
            }
            String l = logical.toString();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith("!")) {
                continue;
            }
            int sep = separator(l);
            if (sep <= 0) {
                throw ConfigException.at(home, file, start, (sep == 0 ? "no key before '" + l.charAt(0) + "'" : "'" + l
                        + "' is not KEY=VALUE") + "; write KEY=VALUE, or start the line with # for a comment");
            }
            String key = unescape(home, file, start, l.substring(0, sep).strip());
            String value = unescape(home, file, start, l.substring(sep + 1).strip());
            Entry before = out.put(key, new Entry(value, start));
            if (before != null) {
                throw ConfigException.at(home, file, start, key + " is set twice (also on line " + before.line()
                        + "); keep one");
            }
        }
        return out;
    }

    private static boolean endsWithContinuation(CharSequence s) {
        int backslashes = 0;
        for (int i = s.length() - 1; i >= 0 && s.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /** The index of the first unescaped '=' or ':', or -1. */
    private static int separator(String l) {
        for (int i = 0; i < l.length(); i++) {
            char c = l.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '=' || c == ':') {
                return i;
            }
        }
        return -1;
    }

    private static String unescape(Home home, Path file, int line, String s) throws ConfigException {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                b.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 't' -> b.append('\t');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 'f' -> b.append('\f');
                case 'u' -> {
                    String hex = s.substring(i + 1, Math.min(s.length(), i + 5));
                    if (!hex.matches("[0-9a-fA-F]{4}")) {
                        throw ConfigException.at(home, file, line, "malformed escape '\\u" + hex
                                + "': write \\u and four hex digits, or \\\\ for a backslash");
                    }
                    b.append((char) Integer.parseInt(hex, 16));
                    i += 4;
                }
                default -> b.append(e);
            }
        }
        return b.toString();
    }
}

package io.wax.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed flow getter: {@code NAME} or {@code NAME(arg, ...)}, the Java analogue of Bytewax's
 * {@code "module:get_flow(arg)"}. Arguments are literals: integers ({@code 10}, {@code -3},
 * {@code 10L}) become {@link Long}, decimals ({@code 1.5}, {@code 2e3}) {@link Double},
 * {@code true}/{@code false} {@link Boolean}, and {@code "quoted strings"} (with {@code \"},
 * {@code \\}, {@code \n}, {@code \t} escapes) {@link String}. The flow's parameter types decide
 * the final conversion.
 *
 * @param name the flow's name
 * @param args the literal arguments, in order
 */
public record Getter(String name, List<Object> args) {
    public Getter {
        args = List.copyOf(args);
    }

    /** @throws UsageException naming what is wrong and where */
    public static Getter parse(String text) {
        return new Parser(text).getter();
    }

    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s == null ? "" : s;
        }

        Getter getter() {
            skipSpace();
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '-')) {
                i++;
            }
            if (i == start) {
                throw fail("a flow name (letters, digits, '_' or '-')");
            }
            String name = s.substring(start, i);
            List<Object> args = new ArrayList<>();
            skipSpace();
            if (i < s.length() && s.charAt(i) == '(') {
                i++;
                skipSpace();
                if (peek() != ')') {
                    args.add(literal());
                    skipSpace();
                    while (peek() == ',') {
                        i++;
                        args.add(literal());
                        skipSpace();
                    }
                }
                if (peek() != ')') {
                    throw fail("',' or ')'");
                }
                i++;
                skipSpace();
            }
            if (i < s.length()) {
                throw fail("the end of the getter");
            }
            return new Getter(name, args);
        }

        private Object literal() {
            skipSpace();
            char c = peek();
            if (c == '"') {
                return string();
            }
            int start = i;
            while (i < s.length() && ",) \t".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            String word = s.substring(start, i);
            if (word.equals("true") || word.equals("false")) {
                return Boolean.valueOf(word);
            }
            try {
                if (word.matches("[-+]?\\d+[lL]?")) {
                    return Long.valueOf(word.replaceAll("[lL]$", "").replace("+", ""));
                }
                if (word.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?[dD]?")) {
                    return Double.valueOf(word);
                }
            } catch (NumberFormatException e) {
                throw new UsageException("number '" + word + "' in getter '" + s + "' is out of range");
            }
            i = start;
            throw fail("a literal: a number, true, false or a \"quoted string\"");
        }

        private String string() {
            int start = i;
            i++;
            StringBuilder b = new StringBuilder();
            while (i < s.length() && s.charAt(i) != '"') {
                char c = s.charAt(i++);
                if (c == '\\' && i < s.length()) {
                    char e = s.charAt(i++);
                    b.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        default -> e;
                    });
                } else {
                    b.append(c);
                }
            }
            if (i >= s.length()) {
                i = start;
                throw fail("a closing '\"' for the string");
            }
            i++;
            return b.toString();
        }

        private char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private UsageException fail(String expected) {
            String at = i < s.length() ? "at '" + s.substring(i) + "'" : "at the end";
            return new UsageException("bad flow getter '" + s + "': expected " + expected + " " + at
                    + " (write NAME or NAME(arg, ...), e.g. parametric(10))");
        }
    }
}

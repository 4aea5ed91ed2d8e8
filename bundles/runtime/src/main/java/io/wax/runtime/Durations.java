package io.wax.runtime;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Durations as flags take them: a number with a unit, {@code 500ms}, {@code 10s}, {@code 2m},
 * {@code 1h}, {@code 1.5s}; a bare number means seconds, as in Bytewax.
 */
public final class Durations {
    private Durations() {
    }

    /** @throws UsageException naming the flag when the text is not a positive duration */
    public static Duration parse(String flag, String text) {
        return parse(flag, text, false);
    }

    /**
     * Like {@link #parse(String, String)}, also accepting zero when {@code zeroAllowed}
     * ({@code --epoch-interval 0}: an epoch per batch, as in Bytewax).
     */
    public static Duration parse(String flag, String text, boolean zeroAllowed) {
        String t = text == null ? "" : text.trim();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?").matcher(t);
        if (!m.matches()) {
            throw new UsageException(flag + " needs a duration such as 500ms, 10s, 2m or 1h, got '" + text + "'");
        }
        BigDecimal amount = new BigDecimal(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        long millisPerUnit = switch (unit) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            default -> 3_600_000;
        };
        BigDecimal exact = amount.multiply(BigDecimal.valueOf(millisPerUnit));
        // longValue() would wrap a number past Long.MAX_VALUE into a small or negative one.
        if (exact.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new UsageException(flag + " is too large: at most " + Long.MAX_VALUE + "ms, got '" + text + "'");
        }
        long millis = exact.longValue();
        if (millis == 0 && zeroAllowed && amount.signum() == 0) {
            return Duration.ZERO;
        }
        if (millis <= 0) {
            throw new UsageException(flag + " must be at least 1ms, got '" + text + "'");
        }
        return Duration.ofMillis(millis);
    }

    /** The shortest of the forms {@link #parse} accepts, for messages. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}

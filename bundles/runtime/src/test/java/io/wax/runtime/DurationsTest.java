package io.wax.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void parsesEachUnitAndBareSeconds() {
        assertEquals(Duration.ofMillis(500), Durations.parse("--epoch-interval", "500ms"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("--epoch-interval", "1.5"));
        assertEquals(Duration.ofHours(2), Durations.parse("--epoch-interval", "2h"));
        assertEquals(Duration.ofMillis(Long.MAX_VALUE), Durations.parse("--epoch-interval", Long.MAX_VALUE + "ms"));
    }

    @Test
    void aDurationPastTheLargestIsTooLargeNeverWrappedAround() {
        // 2^64 + 1000 ms: its low 64 bits are 1000 ms, which a plain longValue() would have taken.
        for (String big : new String[] {"18446744073709552.616s", "99999999999999h", "9223372036854775808ms"}) {
            UsageException e = assertThrows(UsageException.class, () -> Durations.parse("--epoch-interval", big));
            assertEquals("--epoch-interval is too large: at most 9223372036854775807ms, got '" + big + "'", e.getMessage());
        }
        assertEquals("--epoch-interval must be at least 1ms, got '0.5ms'",
                assertThrows(UsageException.class, () -> Durations.parse("--epoch-interval", "0.5ms")).getMessage());
    }
}

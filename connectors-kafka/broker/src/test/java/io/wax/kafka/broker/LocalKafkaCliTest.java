package io.wax.kafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code local-kafka consume TOPIC [--committed]}: the option, and a mistyped one refused by name. */
class LocalKafkaCliTest {
    @Test
    void consumeReadsEverythingUnlessAskedForCommittedOnly() {
        assertFalse(LocalKafkaCli.committed(new String[] {"consume", "counts"}));
        assertTrue(LocalKafkaCli.committed(new String[] {"consume", "counts", "--committed"}));
    }

    @Test
    void aMistypedOrExtraOptionIsRefusedByName() {
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> LocalKafkaCli.committed(new String[] {"consume", "counts", "--commited"}));
        assertEquals("unknown option --commited (consume takes only --committed)", typo.getMessage());
        IllegalArgumentException extra = assertThrows(IllegalArgumentException.class,
                () -> LocalKafkaCli.committed(new String[] {"consume", "counts", "--committed", "x"}));
        assertEquals("unknown option --committed x (consume takes only --committed)", extra.getMessage());
    }
}

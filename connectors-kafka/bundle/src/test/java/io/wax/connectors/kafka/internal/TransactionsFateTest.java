package io.wax.connectors.kafka.internal;

import static org.apache.kafka.clients.admin.TransactionState.COMPLETE_ABORT;
import static org.apache.kafka.clients.admin.TransactionState.COMPLETE_COMMIT;
import static org.apache.kafka.clients.admin.TransactionState.EMPTY;
import static org.apache.kafka.clients.admin.TransactionState.ONGOING;
import static org.apache.kafka.clients.admin.TransactionState.PREPARE_ABORT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wax.connectors.kafka.internal.Transactions.Fate;
import org.junit.jupiter.api.Test;

/**
 * How a resume reads the coordinator's state of a staged transaction's id (producer 7, epoch 3)
 * that refused the resumed commit. The version 2 cases are the ones {@code KafkaSinkEosResumeTest}
 * meets on the 4.1.2 broker; the version 1 ones follow the coordinator's rules (no epoch bump at
 * commit), which no test broker here runs.
 */
class TransactionsFateTest {
    @Test
    void anAbortAtTheFencedEpochIsThisTransactionsAbort() {
        assertEquals(Fate.ABORTED, Transactions.fate(7, (short) 3, COMPLETE_ABORT, 7, 4));
        assertEquals(Fate.ABORTED, Transactions.fate(7, (short) 3, PREPARE_ABORT, 7, 4));
    }

    @Test
    void theNextEpochInAnyOtherStateFollowsACommit() {
        assertEquals(Fate.COMMITTED, Transactions.fate(7, (short) 3, ONGOING, 7, 4)); // v2: the slot's next transaction
        assertEquals(Fate.COMMITTED, Transactions.fate(7, (short) 3, EMPTY, 7, 4)); // v1: a new producer after the commit
        assertEquals(Fate.COMMITTED, Transactions.fate(7, (short) 3, COMPLETE_COMMIT, 7, 3)); // v1: untouched
    }

    @Test
    void anIdUsedAgainSinceCannotTell() {
        assertEquals(Fate.UNKNOWN, Transactions.fate(7, (short) 3, COMPLETE_ABORT, 7, 5));
        assertEquals(Fate.UNKNOWN, Transactions.fate(7, (short) 3, EMPTY, 7, 6));
        assertEquals(Fate.UNKNOWN, Transactions.fate(7, (short) 3, COMPLETE_ABORT, 8, 4));
        assertEquals(Fate.UNKNOWN, Transactions.fate(7, (short) 3, COMPLETE_ABORT, 7, 3));
    }
}

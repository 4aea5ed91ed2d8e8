package io.wax.connectors.kafka.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.utils.ProducerIdAndEpoch;

/**
 * What kafka-clients does not expose: a transaction's producer id and epoch, and resuming a
 * transaction by them in a new producer so that it can be committed after a restart. This is what
 * Flink's {@code FlinkKafkaInternalProducer.resumeTransaction} does, by reflection on the
 * producer's {@code TransactionManager} (checked against kafka-clients 4.1.2, which the bundle
 * embeds; {@code KafkaSinkEosTest} fails if a new version moves these fields).
 */
final class Transactions {
    private Transactions() {
    }

    /** The producer id and epoch of {@code p}'s current transaction. */
    static ProducerIdAndEpoch idAndEpoch(KafkaProducer<?, ?> p) {
        Object tm = field(p, "transactionManager");
        return (ProducerIdAndEpoch) field(tm, "producerIdAndEpoch");
    }

    /** Whether {@code p}'s transactions use transactions version 2 (KIP-890). */
    static boolean transactionV2(KafkaProducer<?, ?> p) {
        return (Boolean) field(field(p, "transactionManager"), "isTransactionV2Enabled");
    }

    /**
     * Makes the fresh producer {@code p} (created with the transaction's {@code transactional.id},
     * never initialised) the owner of the open transaction {@code producerId}/{@code epoch}, so that
     * {@code p.commitTransaction()} commits it.
     */
    static void resume(KafkaProducer<?, ?> p, long producerId, short epoch, boolean transactionV2) {
        Object tm = field(p, "transactionManager");
        synchronized (tm) {
            Object partitions = field(tm, "txnPartitionMap");
            transition(tm, "INITIALIZING");
            invoke(partitions, "reset");
            set(tm, "producerIdAndEpoch", new ProducerIdAndEpoch(producerId, epoch));
            // End it with the protocol it was begun with: a fresh producer has not yet learned that
            // the brokers run transactions version 2 (KIP-890), and would end a v2 transaction with
            // a v1 request followed by an epoch bump.
            set(tm, "isTransactionV2Enabled", transactionV2);
            transition(tm, "READY");
            transition(tm, "IN_TRANSACTION");
            // Only a started transaction sends its EndTxn request on commit.
            set(tm, "transactionStarted", true);
        }
    }

    /**
     * Whether committing a resumed transaction failed because it is no longer open: its producer
     * epoch has moved on or the coordinator holds it finished. That is so when it was committed
     * already, and also when the broker aborted it: {@link #fate} tells which.
     */
    static boolean notOpen(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException
                    || t instanceof InvalidTxnStateException || t instanceof InvalidPidMappingException) {
                return true;
            }
        }
        return false;
    }

    /** What became of a transaction that is no longer open. */
    enum Fate { COMMITTED, ABORTED, UNKNOWN }

    /**
     * What became of the transaction {@code producerId}/{@code epoch}, which is no longer open, from
     * what the coordinator holds for its transactional id now ({@code now*}: the state, producer id
     * and epoch of the id's last transaction). Measured with kafka-clients and brokers 4.1.2
     * ({@code KafkaSinkEosResumeTest}) and read from the coordinator's rules:
     * <ul>
     *   <li>a commit leaves the epoch as it was with transactions version 1 ({@code CompleteCommit}
     *       at {@code epoch}) and bumps it by one with version 2 (KIP-890);</li>
     *   <li>the broker aborting it (its {@code transaction.timeout.ms} passed, or another producer
     *       initialised the id) first bumps the epoch by one to fence its producer, then aborts at
     *       that epoch: {@code PrepareAbort}/{@code CompleteAbort} at {@code epoch + 1}, with either
     *       version;</li>
     *   <li>a new producer initialising the id bumps the epoch again, so {@code epoch + 1} in any
     *       other state can only be the next transaction of the same producer after a commit
     *       (version 2), or a new producer's after a commit (version 1, which does not bump at
     *       commit): committed;</li>
     *   <li>anything further (an epoch above {@code epoch + 1}, another producer id after the epoch
     *       ran out) says only that the id was used since: the coordinator no longer knows how this
     *       transaction ended.</li>
     * </ul>
     */
    static Fate fate(long producerId, short epoch, TransactionState nowState, long nowProducerId, int nowEpoch) {
        if (nowProducerId != producerId) {
            return Fate.UNKNOWN;
        }
        if (nowEpoch == epoch) {
            return nowState == TransactionState.COMPLETE_COMMIT ? Fate.COMMITTED : Fate.UNKNOWN;
        }
        if (nowEpoch == epoch + 1) {
            return switch (nowState) {
                case PREPARE_ABORT, COMPLETE_ABORT -> Fate.ABORTED;
                case ONGOING, PREPARE_COMMIT, COMPLETE_COMMIT, EMPTY -> Fate.COMMITTED;
                default -> Fate.UNKNOWN;
            };
        }
        return Fate.UNKNOWN;
    }

    private static void transition(Object tm, String state) {
        try {
            Class<?> states = Class.forName("org.apache.kafka.clients.producer.internals.TransactionManager$State",
                    false, tm.getClass().getClassLoader());
            Object s = null;
            for (Object c : states.getEnumConstants()) {
                if (((Enum<?>) c).name().equals(state)) {
                    s = c;
                }
            }
            Method m = tm.getClass().getDeclaredMethod("transitionTo", states);
            m.setAccessible(true);
            m.invoke(tm, s);
        } catch (ReflectiveOperationException e) {
            throw new KafkaException("cannot resume a Kafka transaction with this kafka-clients: " + e, e);
        }
    }

    private static void invoke(Object o, String method) {
        try {
            Method m = o.getClass().getDeclaredMethod(method);
            m.setAccessible(true);
            m.invoke(o);
        } catch (ReflectiveOperationException e) {
            throw new KafkaException("cannot resume a Kafka transaction with this kafka-clients: " + e, e);
        }
    }

    private static Object field(Object o, String name) {
        try {
            Field f = o.getClass().getDeclaredField(name);
            f.setAccessible(true);
            return f.get(o);
        } catch (ReflectiveOperationException e) {
            throw new KafkaException("cannot read a Kafka producer's transaction with this kafka-clients: " + e, e);
        }
    }

    private static void set(Object o, String name, Object value) {
        try {
            Field f = o.getClass().getDeclaredField(name);
            f.setAccessible(true);
            f.set(o, value);
        } catch (ReflectiveOperationException e) {
            throw new KafkaException("cannot resume a Kafka transaction with this kafka-clients: " + e, e);
        }
    }
}

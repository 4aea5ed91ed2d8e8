package io.wax.connectors.kafka.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
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
     * Whether committing a resumed transaction failed only because it was finished already: its
     * producer epoch has moved on (the transaction was committed, and its id reused by a later
     * one) or the coordinator no longer holds it open. A slot's id is reused only after its
     * transaction committed, so this is the "already committed" of a resume.
     */
    static boolean alreadyFinished(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException
                    || t instanceof InvalidTxnStateException || t instanceof InvalidPidMappingException) {
                return true;
            }
        }
        return false;
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

package io.wax.connectors.kafka.internal;

import io.wax.api.io.SinkPartition;
import io.wax.api.io.WorkerContext;
import io.wax.connectors.kafka.KafkaConnectorException;
import io.wax.connectors.kafka.KafkaHeader;
import io.wax.connectors.kafka.KafkaSinkConfig;
import io.wax.connectors.kafka.KafkaSinkMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidTxnTimeoutException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.ProducerIdAndEpoch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition of the exactly-once sink. Writes go into a Kafka transaction whose
 * {@code transactional.id} is {@code prefix-partition-slot}; at each snapshot the open transaction
 * is flushed and staged (its id, producer id and epoch go into the snapshot), and it is committed
 * when {@link #epochDurable} says that snapshot is durable at every worker. The next writes start
 * a transaction in another slot meanwhile, so writing never waits for durability. On open it
 * commits the transactions a previous run staged (they are in the resumed snapshot, so their
 * epochs are durable) and aborts every other open transaction of its ids.
 */
final class TransactionalWriter implements SinkPartition<KafkaSinkMessage<byte[], byte[]>, Map<String, long[]>> {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionalWriter.class);
    /**
     * Transactions a partition may have at once: one open, the rest staged and waiting for their
     * snapshot to become durable. Usually one or two are staged; more while a worker or process lags
     * behind the others (a resume's catch-up, a pause of the machine, a slow peer): in a cluster
     * with 200 ms snapshots a lag of a second is common, so slots (and their producers) are added
     * as needed, lowest first, up to this many, which is a lag of this many snapshots.
     */
    static final int SLOTS = 64;

    private record Staged(int slot, String id, long producerId, short producerEpoch, long epoch, boolean v2) {
    }

    private final KafkaSinkConfig<?, ?> config;
    private final String stepId;
    private final int partition;
    private final String prefix;
    private final Map<String, Object> producerConf;
    /** Each slot's producer, created when the slot is first used (or its id found lingering). */
    @SuppressWarnings("unchecked")
    private final KafkaProducer<byte[], byte[]>[] producers = new KafkaProducer[SLOTS];
    private final LinkedHashMap<Integer, Staged> staged = new LinkedHashMap<>();
    /**
     * Slots whose transaction committed, with transactions version 1, while a snapshot that lists
     * it as staged (the last one, at this epoch) could still be the one a resume loads. Version 1
     * keeps a producer's id and epoch from one transaction to the next, so the next transaction in
     * the slot would carry the same id and epoch, and that resume would commit it, half written.
     * (Version 2, KIP-890, the default of Kafka 4 brokers, bumps the epoch at every commit: the
     * resume is then told the old transaction is finished.) The slot is used again once a later
     * snapshot is durable.
     */
    private final Map<Integer, Long> cooling = new HashMap<>();
    private int open = -1;
    private long lastClosed = -1;
    private long lastSnapshot = -1;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private boolean closed;

    TransactionalWriter(KafkaSinkConfig<?, ?> config, WorkerContext ctx, int partition, Map<String, long[]> resume) {
        this.config = config;
        this.stepId = ctx.stepId();
        this.partition = partition;
        this.prefix = config.transactionalIdPrefix() + "-" + partition + "-";
        if (!ctx.recovery()) {
            throw new KafkaConnectorException("Kafka sink (exactly-once) in step " + stepId + ": the run has no recovery"
                    + " store, so nothing would say when an epoch is safe to commit and a restart would write it again;"
                    + " run with recovery (bin/wax run ... -r DIR, after bin/wax recovery init DIR N), or use"
                    + " Guarantee.AT_LEAST_ONCE");
        }
        Map<String, Object> conf = new HashMap<>();
        conf.put("client.id", "wax-" + stepId + "-p" + partition);
        conf.put("max.block.ms", ClientConfigs.millis(config.timeout()));
        conf.put("transaction.timeout.ms", ClientConfigs.millis(KafkaSinkConfig.DEFAULT_TRANSACTION_TIMEOUT));
        conf.putAll(config.clientConfig());
        conf.put("bootstrap.servers", String.join(",", config.brokers()));
        conf.put("enable.idempotence", true);
        this.producerConf = conf;
        checkTimeout(ctx.snapshotInterval());
        TransactionalSink.claim(config.transactionalIdPrefix(), stepId);
        try {
            if (resume != null) {
                for (Map.Entry<String, long[]> e : resume.entrySet()) {
                    long[] t = e.getValue();
                    commitResumed(e.getKey(), t[0], (short) t[1], t[2], t.length > 3 && t[3] == 1);
                }
            }
            for (String id : Metadata.openTransactions(config, prefix)) {
                abortLingering(id);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** A transaction staged at a snapshot must outlive the snapshot interval and a restart. */
    private void checkTimeout(Duration snapshotInterval) {
        Object v = producerConf.get("transaction.timeout.ms");
        long ms;
        try {
            ms = Long.parseLong(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new KafkaConnectorException("Kafka sink (exactly-once): transaction.timeout.ms must be a number of"
                    + " milliseconds, got '" + v + "'");
        }
        Duration need = (snapshotInterval == null ? Duration.ZERO : snapshotInterval).plus(config.restartAllowance());
        if (ms <= need.toMillis()) {
            throw new KafkaConnectorException("Kafka sink (exactly-once) in step " + stepId + ": transaction.timeout.ms"
                    + " is " + ms + " ms, but a transaction staged at a snapshot must stay open for the snapshot"
                    + " interval (" + ClientConfigs.describe(snapshotInterval == null ? Duration.ZERO : snapshotInterval)
                    + ") plus the restart allowance (" + ClientConfigs.describe(config.restartAllowance()) + "), or the"
                    + " broker aborts it and its output is lost; raise transaction.timeout.ms above " + need.toMillis()
                    + " ms (config(\"transaction.timeout.ms\", ...) on the sink, at most the broker's"
                    + " transaction.max.timeout.ms), or lower the snapshot interval (-s) or restartAllowance");
        }
    }

    private KafkaProducer<byte[], byte[]> newProducer(String id) {
        Map<String, Object> conf = new HashMap<>(producerConf);
        conf.put("transactional.id", id);
        try {
            return Tccl.withBundleLoader(
                    () -> new KafkaProducer<>(conf, new ByteArraySerializer(), new ByteArraySerializer()));
        } catch (KafkaException e) {
            throw new KafkaConnectorException("Kafka sink: cannot create a producer for brokers " + config.brokers()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Commits a transaction a previous run staged at a snapshot that is now durable. If the broker
     * refuses because the transaction is no longer open, it asks the coordinator how it ended: a
     * transaction committed already counts as success, one the broker aborted stops the flow (its
     * output is lost, and the resume must not carry on as if it were there).
     */
    private void commitResumed(String id, long producerId, short producerEpoch, long epoch, boolean v2) {
        KafkaProducer<byte[], byte[]> p = newProducer(id);
        try {
            Transactions.resume(p, producerId, producerEpoch, v2);
            p.commitTransaction();
            LOG.info("Kafka sink {}: committed transaction {} (producer {}, epoch {}) of Wax epoch {} left by the last run",
                    stepId, id, producerId, producerEpoch, epoch);
        } catch (KafkaException e) {
            if (!Transactions.notOpen(e)) {
                throw new KafkaConnectorException("Kafka sink (exactly-once): committing transaction " + id + " of epoch "
                        + epoch + " (staged by the last run, whose snapshot of it is durable) on " + config.brokers()
                        + " failed: " + e.getMessage() + "; the flow stops so that a later resume can commit it", e);
            }
            TransactionDescription now = Metadata.describeTransaction(config, id);
            switch (Transactions.fate(producerId, producerEpoch, now.state(), now.producerId(), now.producerEpoch())) {
                case COMMITTED -> LOG.info("Kafka sink {}: transaction {} of Wax epoch {} was committed already ({}; the"
                        + " id is now {} at producer {}, epoch {})", stepId, id, epoch, e.getClass().getSimpleName(),
                        now.state(), now.producerId(), now.producerEpoch());
                case ABORTED -> throw lost(id, producerId, producerEpoch, epoch, now);
                default -> LOG.warn("Kafka sink {}: transaction {} (producer {}, epoch {}) of Wax epoch {}, staged by the"
                        + " last run, is no longer open, and the broker cannot say whether it was committed or aborted:"
                        + " its id was used again since (it is now {} at producer {}, epoch {}). It is taken as"
                        + " committed, as a slot is used again only after its commit; but if the broker aborted it"
                        + " (a resume later than transaction.timeout.ms), the output partition {} of topic {} wrote"
                        + " up to that epoch is missing", stepId, id, producerId, producerEpoch, epoch, now.state(),
                        now.producerId(), now.producerEpoch(), partition, config.topic());
            }
        } finally {
            p.close(Duration.ZERO);
        }
    }

    /** The error of a resume that finds a staged transaction aborted by the broker: its output is gone. */
    private KafkaConnectorException lost(String id, long producerId, short producerEpoch, long epoch,
                                         TransactionDescription now) {
        return new KafkaConnectorException("Kafka sink (exactly-once) in step " + stepId + ": the output partition "
                + partition + " of topic " + config.topic() + " wrote up to Wax epoch " + epoch + " is lost. The last"
                + " run staged it in transaction " + id + " (producer " + producerId + ", epoch " + producerEpoch + ") at"
                + " a snapshot that is durable, but stopped before committing it, and the broker has since aborted that"
                + " transaction (it is " + now.state() + "): a transaction left uncommitted longer than its"
                + " transaction.timeout.ms (" + now.transactionTimeoutMs() + " ms) is aborted, and the run was down,"
                + " or stalled before its commit, longer than that. A resume cannot write that output again (the"
                + " recovery store's source positions are past it), so the flow stops rather than go on without it."
                + " To get it back, run the flow again from its source with a new recovery store (bin/wax recovery"
                + " init) into a new or emptied topic. To avoid this, raise transaction.timeout.ms on the sink"
                + " (config(\"transaction.timeout.ms\", ...); at most the broker's transaction.max.timeout.ms, which"
                + " you may raise too) above the longest time a stopped run may take to be resumed, and set"
                + " restartAllowance to that time");
    }

    /** Initialising a transactional id aborts its open transaction (a killed run's) and fences its producer. */
    private void abortLingering(String id) {
        int slot = slotOf(id);
        if (slot >= 0 && producers[slot] == null) {
            producers[slot] = init(id);
        } else {
            KafkaProducer<byte[], byte[]> p = init(id);
            p.close(Duration.ZERO);
        }
        LOG.info("Kafka sink {}: aborted transaction {} left open by an earlier run", stepId, id);
    }

    private int slotOf(String id) {
        try {
            int s = Integer.parseInt(id.substring(prefix.length()));
            return s >= 0 && s < SLOTS ? s : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private KafkaProducer<byte[], byte[]> init(String id) {
        KafkaProducer<byte[], byte[]> p = newProducer(id);
        try {
            p.initTransactions();
            return p;
        } catch (KafkaException e) {
            p.close(Duration.ZERO);
            if (e instanceof InvalidTxnTimeoutException) {
                throw new KafkaConnectorException("Kafka sink (exactly-once): the broker refuses transaction.timeout.ms="
                        + producerConf.get("transaction.timeout.ms") + " (it is above the broker's"
                        + " transaction.max.timeout.ms); lower it on the sink or raise the broker's limit", e);
            }
            throw new KafkaConnectorException("Kafka sink (exactly-once): initialising transactional id " + id + " on "
                    + config.brokers() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void writeBatch(List<KafkaSinkMessage<byte[], byte[]>> items) {
        check();
        if (open < 0) {
            begin();
        }
        KafkaProducer<byte[], byte[]> p = producers[open];
        for (KafkaSinkMessage<byte[], byte[]> m : items) {
            String topic = m.topic() != null ? m.topic() : config.topic();
            try {
                p.send(new ProducerRecord<>(topic, m.partition(), m.timestamp(), m.key(), m.value(), headers(m)),
                        (md, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
            } catch (KafkaException e) {
                throw failed("sending to " + topic, e);
            }
        }
    }

    private static List<Header> headers(KafkaSinkMessage<byte[], byte[]> m) {
        if (m.headers().isEmpty()) {
            return null;
        }
        List<Header> out = new ArrayList<>(m.headers().size());
        for (KafkaHeader h : m.headers()) {
            out.add(new RecordHeader(h.key(), h.value()));
        }
        return out;
    }

    /** Starts a transaction in a slot that holds none. */
    private void begin() {
        int slot = -1;
        for (int s = 0; s < SLOTS && slot < 0; s++) {
            if (!staged.containsKey(s) && !cooling.containsKey(s)) {
                slot = s;
            }
        }
        if (slot < 0) {
            throw new KafkaConnectorException("Kafka sink (exactly-once) in step " + stepId + ", partition " + partition
                    + ": " + SLOTS + " transactions staged at snapshots are still waiting for their epochs to become"
                    + " durable at every worker; a worker or process lags far behind (the flow stops; resuming it"
                    + " commits them)");
        }
        if (producers[slot] == null) {
            producers[slot] = init(prefix + slot);
        }
        try {
            producers[slot].beginTransaction();
        } catch (KafkaException e) {
            throw failed("beginning a transaction", e);
        }
        open = slot;
    }

    @Override
    public void epochEnd(long epoch) {
        lastClosed = epoch;
        check();
    }

    /** Flushes the open transaction and stages it: it is committed once this snapshot is durable. */
    @Override
    public Map<String, long[]> snapshot() {
        lastSnapshot = lastClosed;
        if (open >= 0) {
            KafkaProducer<byte[], byte[]> p = producers[open];
            try {
                p.flush();
            } catch (KafkaException e) {
                throw failed("flushing", e);
            }
            check();
            ProducerIdAndEpoch pe = Transactions.idAndEpoch(p);
            staged.put(open, new Staged(open, prefix + open, pe.producerId, pe.epoch, lastClosed,
                    Transactions.transactionV2(p)));
            open = -1;
        }
        Map<String, long[]> state = new LinkedHashMap<>();
        for (Staged s : staged.values()) {
            state.put(s.id(), new long[] {s.producerId(), s.producerEpoch(), s.epoch(), s.v2() ? 1 : 0});
        }
        return state;
    }

    @Override
    public void epochDurable(long epoch) {
        cooling.values().removeIf(listedUntil -> listedUntil < epoch);
        var it = staged.values().iterator();
        while (it.hasNext()) {
            Staged s = it.next();
            if (s.epoch() > epoch) {
                continue;
            }
            try {
                producers[s.slot()].commitTransaction();
            } catch (KafkaException e) {
                throw new KafkaConnectorException("Kafka sink (exactly-once): committing transaction " + s.id()
                        + " of epoch " + s.epoch() + " on " + config.brokers() + " failed: " + e.getMessage()
                        + (e instanceof ProducerFencedException || Transactions.notOpen(e)
                                ? " (another producer took over this transactional id, or the broker aborted the"
                                + " transaction after transaction.timeout.ms: its output is lost; is another flow using"
                                + " prefix '" + config.transactionalIdPrefix() + "'?)"
                                : "; the flow stops, and a resumed run commits the transaction"), e);
            }
            it.remove();
            if (!s.v2()) {
                cooling.put(s.slot(), lastSnapshot);
            }
        }
    }

    private void check() {
        Exception e = failure.get();
        if (e != null) {
            failure.set(null);
            throw failed("writing a message", e);
        }
    }

    private KafkaConnectorException failed(String what, Exception e) {
        String why = e instanceof ProducerFencedException || Transactions.notOpen(e)
                ? ": another producer took over transactional id " + prefix + open + " (a second flow or sink using"
                + " prefix '" + config.transactionalIdPrefix() + "'?) or the broker aborted the transaction after"
                + " transaction.timeout.ms; the flow stops, and a resumed run writes the epoch again"
                : "; the flow stops, and a resumed run writes the epoch again";
        return new KafkaConnectorException("Kafka sink (exactly-once), partition " + partition + " of "
                + config.topic() + " on " + config.brokers() + ": " + what + " failed: " + e.getMessage() + why, e);
    }

    /**
     * Closes the producers without aborting anything: a transaction staged at a snapshot belongs to
     * the resumed run, which commits it if its snapshot became durable (a graceful end has committed
     * every one before this).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        TransactionalSink.release(config.transactionalIdPrefix());
        // A worker stopped by a failure elsewhere (fate sharing) may be interrupted: a producer's
        // close would throw InterruptException and leave the other producers (and their threads) open.
        boolean interrupted = Thread.interrupted();
        try {
            for (int s = 0; s < SLOTS; s++) {
                if (producers[s] != null) {
                    try {
                        producers[s].close(Duration.ZERO);
                    } catch (KafkaException e) {
                        if (e instanceof InterruptException || e.getCause() instanceof InterruptException) {
                            // Interrupted again while closing (the run is being torn down): kafka-clients
                            // throws after its cleanup and sets the flag, which would cut the next close short.
                            Thread.interrupted();
                            interrupted = true;
                            LOG.debug("Kafka sink {}: closing the producer of {} was interrupted", stepId, prefix + s);
                        } else {
                            LOG.warn("Kafka sink {}: closing the producer of {} failed: {}", stepId, prefix + s,
                                    e.toString());
                        }
                    }
                    producers[s] = null;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

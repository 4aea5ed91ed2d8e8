package io.wax.connectors.kafka.internal;

import io.wax.connectors.kafka.KafkaConnectorException;
import io.wax.connectors.kafka.KafkaSinkConfig;
import io.wax.connectors.kafka.KafkaSourceConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Lists a source's partitions with an admin client, failing within the source's timeout. */
public final class Metadata {
    private Metadata() {
    }

    public static List<String> partitions(KafkaSourceConfig<?, ?> config) {
        int ms = ClientConfigs.millis(config.timeout());
        try (Admin admin = admin("Kafka source", config.brokers(), config.clientConfig(), ms, "wax-kafka-source-metadata")) {
            Map<String, TopicDescription> topics = admin.describeTopics(config.topics()).allTopicNames()
                    .get(ms + 1000L, TimeUnit.MILLISECONDS);
            List<String> parts = new ArrayList<>();
            for (String topic : config.topics()) {
                for (TopicPartitionInfo p : topics.get(topic).partitions()) {
                    parts.add(topic + "-" + p.partition());
                }
            }
            return parts;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof UnknownTopicOrPartitionException) {
                throw new KafkaConnectorException("Kafka source: a topic of " + config.topics()
                        + " does not exist on brokers " + config.brokers(), c);
            }
            if (c instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(config, c);
            }
            throw new KafkaConnectorException("Kafka source: listing the partitions of " + config.topics() + " on "
                    + config.brokers() + " failed: " + c, c);
        } catch (TimeoutException e) {
            throw unreachable(config, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaConnectorException("Kafka source: interrupted while listing partitions", e);
        }
    }

    /**
     * Fails when the sink's topic does not exist, within the sink's timeout: the producer would
     * otherwise wait for its metadata on every send, logging a warning on each retry, and the flow
     * would fail later, somewhere else.
     */
    public static void checkTopic(KafkaSinkConfig<?, ?> config) {
        int ms = ClientConfigs.millis(config.timeout());
        try (Admin admin = admin("Kafka sink", config.brokers(), config.clientConfig(), ms, "wax-kafka-sink-metadata")) {
            admin.describeTopics(List.of(config.topic())).allTopicNames().get(ms + 1000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof UnknownTopicOrPartitionException) {
                throw new KafkaConnectorException("Kafka sink: topic '" + config.topic() + "' does not exist on brokers "
                        + config.brokers() + "; create it first (e.g. connectors-kafka/bin/local-kafka topic "
                        + config.topic() + " 2), or write to a topic that exists", c);
            }
            if (c instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw new KafkaConnectorException("Kafka sink: no answer from brokers " + config.brokers() + " within "
                        + ClientConfigs.describe(config.timeout()) + " while looking up topic '" + config.topic()
                        + "'; is a broker running there? (the limit is KafkaSinkConfig.timeout)", c);
            }
            throw new KafkaConnectorException("Kafka sink: looking up topic '" + config.topic() + "' on "
                    + config.brokers() + " failed: " + c, c);
        } catch (TimeoutException e) {
            throw new KafkaConnectorException("Kafka sink: no answer from brokers " + config.brokers() + " within "
                    + ClientConfigs.describe(config.timeout()) + " while looking up topic '" + config.topic() + "'", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaConnectorException("Kafka sink: interrupted while looking up topic '" + config.topic() + "'", e);
        }
    }

    /** The number of partitions of the sink's topic (failing as {@link #checkTopic} does). */
    public static int partitionCount(KafkaSinkConfig<?, ?> config) {
        checkTopic(config);
        int ms = ClientConfigs.millis(config.timeout());
        try (Admin admin = admin("Kafka sink", config.brokers(), config.clientConfig(), ms, "wax-kafka-sink-metadata")) {
            return admin.describeTopics(List.of(config.topic())).allTopicNames().get(ms + 1000L, TimeUnit.MILLISECONDS)
                    .get(config.topic()).partitions().size();
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaConnectorException("Kafka sink: looking up topic '" + config.topic() + "' on "
                    + config.brokers() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaConnectorException("Kafka sink: interrupted while looking up topic '" + config.topic() + "'", e);
        }
    }

    /**
     * The ids of the open (ongoing) transactions whose {@code transactional.id} starts with
     * {@code prefix}: what a killed run of an exactly-once sink left behind.
     */
    public static List<String> openTransactions(KafkaSinkConfig<?, ?> config, String prefix) {
        int ms = ClientConfigs.millis(config.timeout());
        try (Admin admin = admin("Kafka sink", config.brokers(), config.clientConfig(), ms, "wax-kafka-sink-txns")) {
            List<String> ids = new ArrayList<>();
            for (TransactionListing t : admin.listTransactions(new ListTransactionsOptions()
                    .filterStates(List.of(TransactionState.ONGOING))).all().get(ms + 1000L, TimeUnit.MILLISECONDS)) {
                if (t.transactionalId().startsWith(prefix)) {
                    ids.add(t.transactionalId());
                }
            }
            return ids;
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaConnectorException("Kafka sink: listing the open transactions on " + config.brokers()
                    + " failed (the sink aborts those a killed run left open): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaConnectorException("Kafka sink: interrupted while listing open transactions", e);
        }
    }

    /**
     * What the transaction coordinator holds for {@code transactionalId} now: its state, producer id
     * and epoch (those of its last transaction) and that transaction's timeout.
     */
    public static TransactionDescription describeTransaction(KafkaSinkConfig<?, ?> config, String transactionalId) {
        int ms = ClientConfigs.millis(config.timeout());
        try (Admin admin = admin("Kafka sink", config.brokers(), config.clientConfig(), ms, "wax-kafka-sink-txns")) {
            return admin.describeTransactions(List.of(transactionalId)).description(transactionalId)
                    .get(ms + 1000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaConnectorException("Kafka sink (exactly-once): asking " + config.brokers() + " for the"
                    + " state of transaction " + transactionalId + " failed: " + e + "; the flow stops so that a later"
                    + " resume can ask again", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaConnectorException("Kafka sink: interrupted while asking for the state of transaction "
                    + transactionalId, e);
        }
    }

    /** An admin client with the connection and security settings of a source's or sink's config. */
    private static Admin admin(String who, List<String> brokers, Map<String, Object> clientConfig, int ms, String id) {
        Map<String, Object> conf = new HashMap<>(clientConfig);
        conf.keySet().removeIf(k -> !ClientConfigs.isCommon(k));
        conf.put("bootstrap.servers", String.join(",", brokers));
        conf.put("default.api.timeout.ms", ms);
        conf.put("request.timeout.ms", ms);
        conf.put("client.id", id);
        try {
            return Tccl.withBundleLoader(() -> Admin.create(conf));
        } catch (RuntimeException e) {
            throw new KafkaConnectorException(who + ": cannot connect to brokers " + brokers + ": " + e.getMessage(), e);
        }
    }

    static KafkaConnectorException unreachable(KafkaSourceConfig<?, ?> config, Throwable cause) {
        return new KafkaConnectorException("Kafka source: no answer from brokers " + config.brokers() + " within "
                + ClientConfigs.describe(config.timeout()) + " while reading the metadata of topics " + config.topics()
                + "; is a broker running there? (the limit is KafkaSourceConfig.timeout)", cause);
    }
}

package io.wax.connectors.kafka;

/**
 * Consumer lag of one open source partition: how many messages the broker had beyond this
 * partition's position, as of the partition's last poll.
 *
 * @param stepId the input step's full id
 * @param partition the Wax partition name, {@code topic-N}
 * @param worker the worker that reads it
 * @param position the next offset to read
 * @param endOffset the end of the log (high watermark) last reported by the broker, or -1 if unknown yet
 * @param lag {@code endOffset - position}, or -1 if unknown yet
 */
public record PartitionLag(String stepId, String partition, int worker, long position, long endOffset, long lag) {
}

package io.wax.spi.recovery;

/**
 * The encoded state of one key of one step at the close of an epoch.
 *
 * @param stepId the step's full id (for inputs and partitioned sinks: the step; key = partition)
 * @param key the state key
 * @param epoch the epoch whose close this snapshot records
 * @param state the state's bytes, or {@code null} when the key's state was discarded
 */
public record Snapshot(String stepId, String key, long epoch, byte[] state) {
}

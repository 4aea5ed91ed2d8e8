package io.wax.api.io;

/**
 * Optionally implemented by a source partition that knows how far it is behind the end of its
 * data (a Kafka partition: records between its position and the end offset). The engine reads it
 * from other threads for monitoring, so it must be a cheap read of a value the partition keeps up
 * to date on its own thread.
 */
@org.osgi.annotation.versioning.ConsumerType
public interface ReportsLag {
    /** Records not yet read, or -1 while unknown. */
    long lag();
}

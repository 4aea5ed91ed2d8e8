package io.wax.spi.monitor;

/**
 * One step on one worker. The engine's worker thread writes these figures as plain fields, with
 * no lock and no allocation; a reader on another thread may see them a moment late.
 */
@org.osgi.annotation.versioning.ProviderType
public interface StepFigures {
    /**
     * Upper bounds, in nanoseconds, of the buckets of {@link #batchTimes()}; the last bucket
     * (one more than this array has) holds every longer batch.
     */
    long[] BATCH_BUCKETS_NANOS = {
        1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L, 10_000_000_000L};

    String step();

    /** The worker's index over the whole cluster. */
    int worker();

    /** Items that reached this step (for an input: items it read). */
    long itemsIn();

    /** Items this step emitted downstream. */
    long itemsOut();

    /** Batches this step processed; a step fused into the one before it gets none of its own. */
    long batches();

    /** Time spent processing batches, steps downstream called from this one included. */
    long batchNanos();

    /** How many batches took at most each of {@link #BATCH_BUCKETS_NANOS} (not cumulative), then the rest: a copy. */
    long[] batchTimes();
}

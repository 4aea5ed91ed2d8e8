package io.wax.api.io;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Calls a function every {@code interval} and emits what it returns, as Bytewax's
 * {@code SimplePollingSource}: for polling an HTTP endpoint or a table. One partition, read by one
 * worker; no resume state (after a restart polling simply goes on). With {@code alignTo}, polls
 * happen at {@code alignTo + k * interval} (the first at the next such time, or at once when now
 * is exactly on one), otherwise the first poll is at once. The function returns {@code null} for
 * "nothing this time", or throws {@link Retry} to be called again sooner (or later) than the
 * next interval.
 *
 * <pre>{@code
 * flow.input("inp", new SimplePollingSource<>(Duration.ofMinutes(1), Instant.parse("2024-01-01T00:00:00Z"),
 *         () -> http.get("https://example.com/rates")));
 * }</pre>
 */
public final class SimplePollingSource<T> implements PartitionedSource<T, Object> {
    /** Polls for one item; blocking briefly is fine, the worker waits for it. */
    @FunctionalInterface
    public interface Poller<T> {
        T poll() throws Exception;
    }

    /** Thrown by a {@link Poller} to be called again after {@code timeout} instead of the interval. */
    public static final class Retry extends Exception {
        private final Duration timeout;

        public Retry(Duration timeout) {
            super("retry in " + timeout, null, false, false);
            this.timeout = timeout;
        }

        public Duration timeout() {
            return timeout;
        }
    }

    private final Duration interval;
    private final Instant alignTo;
    private final Poller<T> poller;
    private final Clock clock;

    public SimplePollingSource(Duration interval, Poller<T> poller) {
        this(interval, null, poller, Clock.systemUTC());
    }

    public SimplePollingSource(Duration interval, Instant alignTo, Poller<T> poller) {
        this(interval, alignTo, poller, Clock.systemUTC());
    }

    /** @param clock where "now" comes from: a test can use its own */
    public SimplePollingSource(Duration interval, Instant alignTo, Poller<T> poller, Clock clock) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("SimplePollingSource interval must be positive, got " + interval);
        }
        this.interval = interval;
        this.alignTo = alignTo;
        this.poller = poller;
        this.clock = clock;
    }

    @Override
    public List<String> listParts() {
        return List.of("singleton");
    }

    @Override
    public SourcePartition<T, Object> buildPart(WorkerContext ctx, String part, Object resume) {
        return new Part();
    }

    /** The first poll: at the next {@code alignTo + k * interval} at or after {@code now}. */
    static Instant firstAwake(Instant now, Instant alignTo, Duration interval) {
        if (alignTo == null) {
            return now;
        }
        Duration since = Duration.between(alignTo, now);
        long intervals = Math.floorDiv(since.toNanos(), interval.toNanos());
        Instant last = alignTo.plus(interval.multipliedBy(intervals));
        return last.equals(now) ? now : last.plus(interval);
    }

    private final class Part implements SourcePartition<T, Object> {
        private Instant awake = firstAwake(clock.instant(), alignTo, interval);

        @Override
        public List<T> nextBatch() throws Exception {
            try {
                T item = poller.poll();
                awake = awake.plus(interval);
                return item == null ? List.of() : List.of(item);
            } catch (Retry r) {
                awake = clock.instant().plus(r.timeout());
                return List.of();
            }
        }

        @Override
        public Instant nextAwake() {
            return awake;
        }

        @Override
        public Object snapshot() {
            return null;
        }
    }
}

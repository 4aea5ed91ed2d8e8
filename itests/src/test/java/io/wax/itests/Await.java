package io.wax.itests;

import static org.junit.Assert.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until a deadline: what the tests use instead of sleeping. */
final class Await {
    private Await() {
    }

    /** Returns how long the condition took; fails with the message once the deadline passes. */
    static Duration until(Duration timeout, BooleanSupplier condition, Supplier<String> failure) {
        return until(timeout, Duration.ofMillis(20), condition, failure);
    }

    /** As {@link #until(Duration, BooleanSupplier, Supplier)}, checking every {@code interval}. */
    static Duration until(Duration timeout, Duration interval, BooleanSupplier condition, Supplier<String> failure) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + timeout.toMillis() + " ms: " + failure.get());
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting: " + failure.get());
            }
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}

package io.wax.engine.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A worker's incoming messages. Many senders, one reader. {@link #pending()} counts items that
 * arrived and are not yet processed, including those a stateful step holds back for a later
 * epoch, so that senders stop polling sources when this worker falls behind.
 */
final class Inbox {
    private final ConcurrentLinkedQueue<Msg> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong pending = new AtomicLong();
    private volatile Thread owner;
    private volatile boolean sleeping;

    void owner(Thread t) {
        owner = t;
    }

    void offer(Msg m) {
        if (m.items > 0) {
            pending.addAndGet(m.items);
        }
        queue.offer(m);
        if (sleeping) {
            wake();
        }
    }

    Msg poll() {
        return queue.poll();
    }

    long pending() {
        return pending.get();
    }

    void add(long items) {
        pending.addAndGet(items);
    }

    void wake() {
        Thread t = owner;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Parks the owner until a message arrives, {@link #wake()} is called, or the deadline passes.
     * The sleeping flag is raised before the last look at the queue, so an offer either is seen
     * by that look or sees the flag and unparks.
     */
    void park(long deadlineNanos) {
        sleeping = true;
        try {
            if (queue.isEmpty()) {
                long wait = deadlineNanos - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(this, wait);
                }
            }
        } finally {
            sleeping = false;
        }
    }
}

package io.wax.engine.internal;

/** Exchange between the worker threads of one process: a reference handed to an inbox. */
final class LocalExchange implements Exchange {
    private final Worker[] workers;
    private final int bound;

    LocalExchange(Worker[] workers, int bound) {
        this.workers = workers;
        this.bound = bound;
    }

    @Override
    public void send(int to, Msg msg) {
        workers[to].inbox.offer(msg);
    }

    @Override
    public boolean hasRoom() {
        for (Worker w : workers) {
            if (w.inbox.pending() >= bound) {
                return false;
            }
        }
        return true;
    }
}

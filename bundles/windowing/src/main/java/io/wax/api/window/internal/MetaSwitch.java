package io.wax.api.window.internal;

/**
 * Whether a window step's metadata is read: switched on while the flow is built, when its
 * {@code meta()} stream is asked for, and read by each key's logic when the flow runs.
 */
public final class MetaSwitch {
    private volatile boolean on;

    public void on() {
        on = true;
    }

    public boolean isOn() {
        return on;
    }
}

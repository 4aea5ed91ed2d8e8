package io.wax.spi.recovery;

/** A recovery store opened by {@link RecoveryStores#open}: it holds files and native handles until closed. */
@org.osgi.annotation.versioning.ProviderType
public interface DurableStore extends RecoveryStore, AutoCloseable {
    /** Closes every partition; the store's directory may then be opened again, by this or another process. */
    @Override
    void close();
}

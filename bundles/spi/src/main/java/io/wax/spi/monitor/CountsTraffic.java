package io.wax.spi.monitor;

import java.util.List;

/**
 * Implemented by a transport's {@link io.wax.spi.transport.Links} that counts what it sends and
 * receives per peer; the engine reports it in {@link RunFigures#peers()}. Called from any thread.
 */
@org.osgi.annotation.versioning.ConsumerType
public interface CountsTraffic {
    List<PeerTraffic> traffic();
}

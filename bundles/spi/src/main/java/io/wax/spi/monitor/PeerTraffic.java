package io.wax.spi.monitor;

/** What this process exchanged with one other process of its cluster. */
public record PeerTraffic(int peer, long bytesSent, long framesSent, long bytesReceived, long framesReceived) {
}

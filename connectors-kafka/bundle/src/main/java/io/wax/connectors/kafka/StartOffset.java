package io.wax.connectors.kafka;

import java.time.Instant;

/**
 * Where a {@link KafkaSource} partition starts when it has no resume state: at the beginning, at
 * the end (only new messages), or at the first message whose timestamp is at or after an instant.
 * A partition resumed from a snapshot always continues at its snapshot.
 */
public sealed interface StartOffset {
    static StartOffset beginning() {
        return Beginning.INSTANCE;
    }

    static StartOffset end() {
        return End.INSTANCE;
    }

    /** The first message with a timestamp at or after {@code t}; the end if there is none yet. */
    static StartOffset timestamp(Instant t) {
        return new Timestamp(t);
    }

    enum Beginning implements StartOffset { INSTANCE }

    enum End implements StartOffset { INSTANCE }

    record Timestamp(Instant instant) implements StartOffset {
        public Timestamp {
            if (instant == null) {
                throw new IllegalArgumentException("a timestamp start offset needs an instant");
            }
        }
    }
}

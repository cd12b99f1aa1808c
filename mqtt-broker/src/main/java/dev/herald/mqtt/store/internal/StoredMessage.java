package dev.herald.mqtt.store.internal;

import dev.herald.mqtt.message.Publish;

/**
 * A QoS 1/2 message a session holds for its client: queued (packet id 0), sent and in flight, or
 * released (PUBREL sent, PUBCOMP awaited); {@code seq} orders them and names the record.
 */
public record StoredMessage(long seq, Publish publish, State state, long receivedAtMillis) {

    public enum State {
        QUEUED,
        IN_FLIGHT,
        RELEASED;

        private static final State[] BY_ORDINAL = values();

        static State of(int ordinal) {
            return ordinal >= 0 && ordinal < BY_ORDINAL.length ? BY_ORDINAL[ordinal] : null;
        }
    }
}

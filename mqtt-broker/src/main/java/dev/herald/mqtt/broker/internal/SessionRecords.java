package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.store.internal.BrokerStore;
import dev.herald.mqtt.store.internal.OnCommit;
import dev.herald.mqtt.store.internal.StoredMessage;
import java.util.List;
import java.util.Set;

/**
 * What one SessionActor keeps in the store, written by that actor alone: its QoS 1/2 messages
 * (queued, in flight, released) under a sequence number each, and the incoming QoS 2 packet ids not
 * yet released. Only a persistent session (Session Expiry Interval above 0, persistence on) writes;
 * an acknowledgement handed in is answered once its change is on disk, or at once when nothing is
 * written.
 */
final class SessionRecords {

    private final BrokerStore store;
    private final String clientId;
    private final long incarnation;
    private boolean durable;
    private long nextSeq = 1;

    /** {@code durable} for a session restored from the store. */
    SessionRecords(BrokerStore store, String clientId, long incarnation, boolean durable) {
        this.store = store;
        this.clientId = clientId;
        this.incarnation = incarnation;
        this.durable = durable;
    }

    boolean durable() {
        return durable;
    }

    /** Whether the session is kept from now on; returns whether that changed. */
    boolean durable(long sessionExpiry) {
        boolean now = store.enabled() && sessionExpiry > 0;
        if (now == durable) {
            return false;
        }
        durable = now;
        if (!now) {
            store.deleteSessionState(clientId, incarnation);
        }
        return true;
    }

    /** What the session held when the broker stopped. */
    record Restored(List<StoredMessage> messages, Set<Integer> inboundQos2) {}

    Restored load() {
        List<StoredMessage> messages = store.messages(clientId, incarnation);
        if (!messages.isEmpty()) {
            nextSeq = messages.get(messages.size() - 1).seq() + 1;
        }
        return new Restored(messages, store.inboundQos2(clientId, incarnation));
    }

    /** Stores a message (again, under the same seq, when its state changes); returns its seq, 0 when not kept. */
    long put(long seq, Publish message, StoredMessage.State state, long receivedAtMillis, OnCommit ack) {
        if (!durable) {
            release(ack);
            return 0;
        }
        long id = seq != 0 ? seq : nextSeq++;
        store.putMessage(clientId, incarnation, new StoredMessage(id, message, state, receivedAtMillis), seq == 0, ack);
        return id;
    }

    void remove(long seq) {
        if (durable && seq != 0) {
            store.deleteMessage(clientId, incarnation, seq);
        }
    }

    void inboundQos2(int packetId, boolean released, OnCommit ack) {
        if (!durable) {
            release(ack);
        } else if (released) {
            store.deleteInboundQos2(clientId, incarnation, packetId);
            release(ack);
        } else {
            store.putInboundQos2(clientId, incarnation, packetId, ack);
        }
    }

    /** The session ended: everything it kept goes. */
    void ended() {
        if (durable) {
            durable = false;
            store.deleteSessionState(clientId, incarnation);
        }
    }

    /** An acknowledgement that waits for nothing this session writes. */
    static void release(OnCommit ack) {
        if (ack != null) {
            ack.committed(true);
        }
    }
}

package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.reason.PubAckReasonCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * With sync durability, the PUBACKs and PUBRECs of one connection held back until what they promise is
 * on disk. They leave in the order their PUBLISHes came (MQTT-4.6.0-2, MQTT-4.6.0-3): one whose stores
 * are done waits for those before it.
 */
final class PendingAcks {

    /** An acknowledgement to send: its PUBLISH, reason and Reason String; {@code stored} false when a store failed. */
    record Ready(Publish publish, PubAckReasonCode reason, String text, boolean stored) {}

    private static final class Entry {
        final long id;
        final Publish publish;
        final PubAckReasonCode reason;
        final String text;
        int remaining;
        boolean failed;

        Entry(long id, Publish publish, PubAckReasonCode reason, String text, int remaining) {
            this.id = id;
            this.publish = publish;
            this.reason = reason;
            this.text = text;
            this.remaining = remaining;
        }
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long nextId;

    DurableAck begin(ActorRef<ConnectionActor.Command> connection) {
        return new DurableAck(connection, ++nextId);
    }

    /** Whether the acknowledgement must wait: for its own stores, or behind others that wait. */
    boolean mustWait(DurableAck ack) {
        return !entries.isEmpty() || (ack != null && ack.expected > 0);
    }

    void hold(Publish publish, PubAckReasonCode reason, String text, DurableAck ack) {
        entries.addLast(new Entry(ack == null ? 0 : ack.id(), publish, reason, text, ack == null ? 0 : ack.expected));
    }

    /** One store of {@code id} is done; returns the acknowledgements now free to leave, in order. */
    List<Ready> stored(long id, boolean ok) {
        for (Entry e : entries) {
            if (e.id == id) {
                e.remaining--;
                e.failed |= !ok;
                break;
            }
        }
        if (entries.isEmpty() || entries.peekFirst().remaining > 0) {
            return List.of(); // the usual answer while earlier stores are still pending
        }
        List<Ready> ready = new ArrayList<>();
        while (!entries.isEmpty() && entries.peekFirst().remaining <= 0) {
            Entry e = entries.pollFirst();
            ready.add(new Ready(e.publish, e.reason, e.text, !e.failed));
        }
        return ready;
    }
}

package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.reason.PubAckReasonCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The PUBACKs and PUBRECs of one connection held back until what they promise is done: with sync
 * durability, on disk; on a cluster node, with every session on another node it went to. They leave
 * in the order their PUBLISHes came (MQTT-4.6.0-2, MQTT-4.6.0-3): one whose answers are in waits for
 * those before it.
 */
final class PendingAcks {

    /** An acknowledgement to send: its PUBLISH, reason and Reason String; {@code stored} false when a store failed. */
    record Ready(Publish publish, PubAckReasonCode reason, String text, boolean stored) {}

    private static final class Entry {
        final long id;
        final Publish publish;
        final PubAckReasonCode reason;
        final String text;
        final long heldAtNanos = System.nanoTime();
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
        return release(0, 0);
    }

    /**
     * Those held for {@code timeoutNanos} or more leave now, with those ready behind them: the answers
     * they wait for would come from a node that is gone (a session there took what it was sent with
     * it; the promise covers sessions on nodes that stay).
     */
    List<Ready> overdue(long nowNanos, long timeoutNanos) {
        return release(nowNanos, timeoutNanos);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Takes the leading entries that are done, or (timeout above 0) held too long. */
    private List<Ready> release(long nowNanos, long timeoutNanos) {
        List<Ready> ready = null;
        while (!entries.isEmpty()) {
            Entry e = entries.peekFirst();
            boolean overdue = timeoutNanos > 0 && nowNanos - e.heldAtNanos >= timeoutNanos;
            if (e.remaining > 0 && !overdue) {
                break;
            }
            entries.pollFirst();
            if (ready == null) {
                ready = new ArrayList<>();
            }
            ready.add(new Ready(e.publish, e.reason, e.text, !e.failed));
        }
        return ready == null ? List.of() : ready; // the usual answer while earlier ones still wait
    }
}

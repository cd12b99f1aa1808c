package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.store.internal.OnCommit;
import dev.herald.mqtt.store.internal.StoredMessage;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What one session holds, owned by its SessionActor: outgoing QoS 1/2 messages in flight by packet id
 * (in send order), messages queued in arrival order, and the ids of incoming QoS 2 messages not yet
 * released. Every change of a QoS 1/2 message is kept in step with the store through {@link
 * SessionRecords}; a restored session takes back what the store holds when it first needs it.
 */
final class SessionMessages {

    /**
     * An outgoing QoS 1/2 message not yet completed; {@code released} once PUBREL was sent for it;
     * {@code shared} is the delivery that brought it when it came through a shared subscription; {@code
     * seq} its record in the store (0 when not kept).
     */
    record InFlight(Publish publish, boolean released, long receivedNanos, SessionActor.Deliver shared, long seq) {}

    /** A message waiting to be sent, with when it arrived (for its Message Expiry Interval). */
    record Queued(Publish publish, long receivedNanos, SessionActor.Deliver shared, long seq) {}

    private final SessionRecords records;
    private final BrokerMetrics metrics;
    private final int maxQueued;
    private final Map<Integer, InFlight> inFlight = new LinkedHashMap<>();
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private final Set<Integer> inboundQos2 = new HashSet<>();
    private int nextPacketId = 1;
    /** False for a session restored from the store until it first needs its messages. */
    private boolean loaded;

    SessionMessages(SessionRecords records, BrokerMetrics metrics, int maxQueued) {
        this.records = records;
        this.metrics = metrics;
        this.maxQueued = maxQueued;
        this.loaded = !records.durable();
    }

    SessionRecords records() {
        return records;
    }

    /** A session restored from the store takes back its messages and incoming QoS 2 ids. */
    void restore() {
        if (loaded) {
            return;
        }
        loaded = true;
        SessionRecords.Restored restored = records.load();
        inboundQos2.addAll(restored.inboundQos2());
        long nowNanos = System.nanoTime();
        long nowMillis = System.currentTimeMillis();
        for (StoredMessage m : restored.messages()) {
            long receivedNanos = nowNanos - (nowMillis - m.receivedAtMillis()) * 1_000_000L;
            if (m.state() == StoredMessage.State.QUEUED) {
                queue.addLast(new Queued(m.publish(), receivedNanos, null, m.seq()));
                metrics.addQueued(1);
            } else {
                boolean released = m.state() == StoredMessage.State.RELEASED;
                inFlight.put(m.publish().packetId(), new InFlight(m.publish(), released, receivedNanos, null, m.seq()));
            }
        }
    }

    /** Whether the session is kept from now on; when it has just become so, what it holds is written. */
    void durable(long sessionExpiry) {
        if (records.durable(sessionExpiry) && records.durable()) {
            inFlight.replaceAll((id, f) ->
                    new InFlight(f.publish(), f.released(), f.receivedNanos(), f.shared(), store(0, f, null)));
            int size = queue.size();
            for (int i = 0; i < size; i++) {
                Queued q = queue.pollFirst();
                long seq = q.publish().qos() == QoS.AT_MOST_ONCE
                        ? 0
                        : records.put(0, q.publish(), StoredMessage.State.QUEUED, wallClock(q.receivedNanos()), null);
                queue.addLast(new Queued(q.publish(), q.receivedNanos(), q.shared(), seq));
            }
        }
    }

    // --- in flight ------------------------------------------------------------------------------

    /** A QoS 1/2 message given a packet id of its own and kept in flight; returns it as sent. */
    Publish addInFlight(Publish message, long receivedNanos, SessionActor.Deliver shared, long seq, OnCommit ack) {
        int id = allocatePacketId();
        Publish withId = new Publish(
                message.topic(), message.qos(), message.retain(), false, id, message.properties(), message.payload());
        long stored = records.put(seq, withId, StoredMessage.State.IN_FLIGHT, wallClock(receivedNanos), ack);
        inFlight.put(id, new InFlight(withId, false, receivedNanos, shared, stored));
        return withId;
    }

    InFlight inFlight(int packetId) {
        return inFlight.get(packetId);
    }

    /** PUBREC arrived: PUBREL is sent and PUBCOMP awaited. */
    void released(InFlight f) {
        InFlight released = new InFlight(f.publish(), true, f.receivedNanos(), f.shared(), f.seq());
        inFlight.put(f.publish().packetId(), released);
        store(f.seq(), released, null);
    }

    /** Returns whether the packet id was in flight. */
    boolean complete(int packetId) {
        InFlight done = inFlight.remove(packetId);
        if (done == null) {
            return false;
        }
        records.remove(done.seq());
        return true;
    }

    int inFlightCount() {
        return inFlight.size();
    }

    Collection<InFlight> inFlightInOrder() {
        return inFlight.values();
    }

    /** Removes (and forgets in the store) the in-flight messages {@code leaves} takes. */
    void removeInFlightIf(Predicate<InFlight> leaves) {
        inFlight.values().removeIf(f -> {
            boolean left = leaves.test(f);
            if (left) {
                records.remove(f.seq());
            }
            return left;
        });
    }

    // --- queue ----------------------------------------------------------------------------------

    boolean queueEmpty() {
        return queue.isEmpty();
    }

    boolean queueFull() {
        return queue.size() >= maxQueued;
    }

    /** Queues a message (a QoS 1/2 one is stored first; {@code ack} answered once it is on disk). */
    void enqueue(Publish message, SessionActor.Deliver shared, OnCommit ack) {
        long seq = message.qos() == QoS.AT_MOST_ONCE
                ? 0
                : records.put(0, message, StoredMessage.State.QUEUED, System.currentTimeMillis(), ack);
        queue.addLast(new Queued(message, System.nanoTime(), shared, seq));
        metrics.addQueued(1);
    }

    Queued peekQueued() {
        return queue.peekFirst();
    }

    /** Takes the head of the queue; its store record stays until the message is completed or dropped. */
    Queued pollQueued() {
        metrics.addQueued(-1);
        return queue.pollFirst();
    }

    /** A message taken from the queue that will not be sent (expired). */
    void dropped(Queued q) {
        records.remove(q.seq());
    }

    /** Removes (and forgets in the store) the queued messages {@code leaves} takes. */
    void removeQueuedIf(Predicate<Queued> leaves) {
        int before = queue.size();
        queue.removeIf(q -> {
            boolean left = leaves.test(q);
            if (left) {
                records.remove(q.seq());
            }
            return left;
        });
        metrics.addQueued(queue.size() - before);
    }

    /** The session ended: nothing is kept, in memory or in the store. */
    void clear() {
        metrics.addQueued(-queue.size());
        queue.clear();
        inFlight.clear();
        records.ended();
    }

    /** Stopped with the broker: what is queued no longer counts in this process. */
    void forget() {
        metrics.addQueued(-queue.size());
    }

    // --- incoming QoS 2 -------------------------------------------------------------------------

    void inboundQos2(int packetId, boolean released, OnCommit ack) {
        records.inboundQos2(packetId, released, ack);
        if (released) {
            inboundQos2.remove(packetId);
        } else {
            inboundQos2.add(packetId);
        }
    }

    Set<Integer> inboundQos2() {
        return Set.copyOf(inboundQos2);
    }

    private long store(long seq, InFlight f, OnCommit ack) {
        StoredMessage.State state = f.released() ? StoredMessage.State.RELEASED : StoredMessage.State.IN_FLIGHT;
        return records.put(seq, f.publish(), state, wallClock(f.receivedNanos()), ack);
    }

    private int allocatePacketId() {
        while (inFlight.containsKey(nextPacketId)) {
            nextPacketId = nextPacketId == 65_535 ? 1 : nextPacketId + 1;
        }
        int id = nextPacketId;
        nextPacketId = nextPacketId == 65_535 ? 1 : nextPacketId + 1;
        return id;
    }

    /** The wall-clock time of a System.nanoTime() reading, for a record that outlives this process. */
    private static long wallClock(long nanos) {
        return System.currentTimeMillis() - (System.nanoTime() - nanos) / 1_000_000L;
    }
}

package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.broker.BrokerSettings;
import dev.herald.mqtt.codec.MqttEncoder;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PubAck;
import dev.herald.mqtt.message.PubComp;
import dev.herald.mqtt.message.PubRec;
import dev.herald.mqtt.message.PubRel;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.store.internal.OnCommit;
import dev.herald.mqtt.store.internal.StoredMessage;
import dev.herald.runtime.RateLimitedWarning;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The state of one client's session that outlives its connections: outgoing QoS 1/2 messages in
 * flight (by packet id, in send order), messages queued while the client is offline or its window is
 * full, and the ids of incoming QoS 2 messages not yet released. Spawned and stopped by the
 * BrokerActor; attached to at most one connection at a time.
 */
public final class SessionActor extends AbstractBehavior<SessionActor.Command> {

    public interface Command {}

    /**
     * A message routed to this session; {@code fromRetained} marks a retained message sent on subscribe,
     * {@code overflowed} a shared message another member's full queue handed on (it is not handed on twice).
     */
    public record Deliver(
            Publish message,
            QoS subscriptionQos,
            boolean retainAsPublished,
            boolean fromRetained,
            List<Integer> subscriptionIds,
            SharedGroup shared,
            boolean overflowed,
            OnCommit stored)
            implements Command {

        /** {@code stored}, when not null, is answered once: when the message is on disk, or at once when it is not kept. */
        public Deliver(
                Publish message,
                QoS subscriptionQos,
                boolean retainAsPublished,
                boolean fromRetained,
                List<Integer> subscriptionIds,
                SharedGroup shared) {
            this(message, subscriptionQos, retainAsPublished, fromRetained, subscriptionIds, shared, false, null);
        }

        Deliver withStored(OnCommit ack) {
            return new Deliver(
                    message,
                    subscriptionQos,
                    retainAsPublished,
                    fromRetained,
                    subscriptionIds,
                    shared,
                    overflowed,
                    ack);
        }
    }

    /**
     * A connection takes the session; the reply is {@link ConnectionActor.Attached}. The session is
     * kept in the store while {@code sessionExpiry} is above 0 and persistence is on.
     */
    public record Attach(
            MqttVersion version,
            long sessionExpiry,
            int receiveMaximum,
            long maximumPacketSize,
            ActorRef<ConnectionActor.Command> connection)
            implements Command {}

    /** The connection is gone. */
    public record Detach(ActorRef<ConnectionActor.Command> connection) implements Command {}

    /**
     * An incoming QoS 2 PUBLISH was routed ({@code released} false) or its PUBREL arrived (true). The
     * session keeps these ids so that a resend after a reconnect or takeover is not routed twice
     * (MQTT 5.0 sections 4.1 and 4.3.3); the connection tells before it answers the client.
     */
    public record InboundQos2(int packetId, boolean released, OnCommit stored) implements Command {}

    /** PUBACK, PUBREC or PUBCOMP from the client. */
    public record Acked(MqttPacket ack) implements Command {}

    /**
     * The session ends (the BrokerActor removed it). It hands what came through shared subscriptions to
     * other members, then lingers for {@link #END_GRACE}: a connection that took its routing snapshot
     * just before the session left it may still deliver here, and a shared message must then go to
     * another member rather than to dead letters.
     */
    public enum End implements Command {
        INSTANCE
    }

    private enum Stop implements Command {
        INSTANCE
    }

    static final Duration END_GRACE = Duration.ofSeconds(1);

    /**
     * An outgoing QoS 1/2 message not yet completed; {@code released} once PUBREL was sent for it;
     * {@code shared} is the delivery that brought it when it came through a shared subscription.
     */
    private record InFlight(Publish publish, boolean released, long receivedNanos, Deliver shared, long seq) {}

    /**
     * A message waiting to be sent, with when it arrived (for its Message Expiry Interval) and its
     * record in the store (0 when not kept).
     */
    private record Queued(Publish publish, long receivedNanos, Deliver shared, long seq) {}

    private final String clientId;
    private final BrokerSettings settings;
    private final BrokerMetrics metrics;
    private final SessionLoad load;
    private final RoutingTable routing;
    private final SessionRecords records;
    /** False for a session restored from the store until it first needs its messages. */
    private boolean loaded;

    private final Map<Integer, InFlight> inFlight = new LinkedHashMap<>();
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private final Set<Integer> inboundQos2 = new HashSet<>();
    private ActorRef<ConnectionActor.Command> connection;
    private MqttVersion version = MqttVersion.V5;
    private int window;
    private long maximumPacketSize = MqttEncoder.MAX_PACKET_SIZE;
    private int nextPacketId = 1;
    private final RateLimitedWarning queueFullLog;

    static Behavior<Command> create(
            String clientId, BrokerSettings settings, BrokerMetrics metrics, SessionLoad load, RoutingTable routing) {
        return create(
                clientId,
                settings,
                metrics,
                load,
                routing,
                new SessionRecords(dev.herald.mqtt.store.internal.BrokerStore.NONE, clientId, 0, false));
    }

    /** A session whose records are kept by {@code records}; one restored from the store loads them when first needed. */
    static Behavior<Command> create(
            String clientId,
            BrokerSettings settings,
            BrokerMetrics metrics,
            SessionLoad load,
            RoutingTable routing,
            SessionRecords records) {
        return Behaviors.setup(
                context -> new SessionActor(context, clientId, settings, metrics, load, routing, records));
    }

    private SessionActor(
            ActorContext<Command> context,
            String clientId,
            BrokerSettings settings,
            BrokerMetrics metrics,
            SessionLoad load,
            RoutingTable routing,
            SessionRecords records) {
        super(context);
        this.records = records;
        this.loaded = !records.durable();
        load.durable(records.durable());
        this.clientId = clientId;
        this.settings = settings;
        this.metrics = metrics;
        this.load = load;
        this.routing = routing;
        this.window = settings.maxInflight();
        this.queueFullLog = new RateLimitedWarning(
                context.getLog(), "Message dropped: session queue full, client", settings.dropLogInterval());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Deliver.class, this::onDeliver)
                .onMessage(Attach.class, this::onAttach)
                .onMessage(Detach.class, this::onDetach)
                .onMessage(InboundQos2.class, this::onInboundQos2)
                .onMessage(Acked.class, this::onAcked)
                .onMessage(End.class, end -> onEnd())
                // Stopped with the broker: a persistent session keeps what it holds for the restart.
                .onSignal(PostStop.class, stop -> records.durable() ? this : onStop())
                .build();
    }

    private Behavior<Command> onAttach(Attach attach) {
        ensureLoaded();
        if (records.durable(attach.sessionExpiry()) && records.durable()) {
            storeAll(); // the session became persistent: what it holds is kept from now on
        }
        load.durable(records.durable());
        connection = attach.connection();
        version = attach.version();
        window = Math.min(settings.maxInflight(), attach.receiveMaximum());
        maximumPacketSize = attach.maximumPacketSize();
        load.attached(true);
        connection.tell(new ConnectionActor.Attached(Set.copyOf(inboundQos2)));
        // Resend what was in flight, in the original order, as MQTT 5.0 section 4.4 requires.
        for (InFlight f : inFlight.values()) {
            connection.tell(new ConnectionActor.Outbound(
                    f.released() ? new PubRel(f.publish().packetId()) : withDup(f.publish())));
        }
        pump();
        return this;
    }

    private Behavior<Command> onDetach(Detach detach) {
        if (detach.connection().equals(connection)) {
            connection = null;
            load.attached(false);
            handOverShared(false);
        }
        return this;
    }

    private Behavior<Command> onInboundQos2(InboundQos2 event) {
        ensureLoaded();
        records.inboundQos2(event.packetId(), event.released(), event.stored());
        if (event.released()) {
            inboundQos2.remove(event.packetId());
        } else {
            inboundQos2.add(event.packetId());
        }
        return this;
    }

    private Behavior<Command> onDeliver(Deliver d) {
        ensureLoaded();
        Publish m = d.message();
        QoS qos = QoS.min(m.qos(), d.subscriptionQos());
        boolean retain = d.fromRetained() || (d.retainAsPublished() && m.retain());
        Properties props = m.properties();
        if (!d.subscriptionIds().isEmpty()) {
            Properties.Builder b = props.toBuilder();
            d.subscriptionIds().forEach(id -> b.add(MqttProperty.SUBSCRIPTION_IDENTIFIER, id));
            props = b.build();
        }
        Publish out = new Publish(m.topic(), qos, retain, false, 0, props, m.payload());
        if (maximumPacketSize < MqttEncoder.MAX_PACKET_SIZE
                && MqttEncoder.encodedSize(out, version) > maximumPacketSize) {
            metrics.recordTooLargeDrop();
            getContext().getLog().debug("Message on '{}' exceeds the Maximum Packet Size of '{}'", m.topic(), clientId);
            SessionRecords.release(d.stored());
            return this;
        }
        if (qos == QoS.AT_MOST_ONCE) {
            SessionRecords.release(d.stored());
            if (connection != null) {
                connection.tell(new ConnectionActor.Outbound(out));
            } else if (settings.queueQos0Offline()) {
                enqueue(out, d);
            } else {
                metrics.recordOfflineQos0Drop();
            }
            return this;
        }
        if (connection != null && queue.isEmpty() && inFlight.size() < window) {
            // The usual case: nothing waits and the window has room, so the message goes straight out.
            sendInFlight(out, System.nanoTime(), d.shared() != null ? d : null, 0, d.stored());
            load.full(inFlight.size() >= window);
            return this;
        }
        enqueue(out, d);
        pump();
        return this;
    }

    private Behavior<Command> onAcked(Acked acked) {
        MqttPacket ack = acked.ack();
        if (ack instanceof PubAck a) {
            complete(a.packetId());
        } else if (ack instanceof PubRec r) {
            InFlight f = inFlight.get(r.packetId());
            if (f != null && r.reasonCode().isError()) {
                complete(r.packetId()); // the receiver refused it: the exchange ends here (MQTT 5.0 4.3.3)
            } else if (f != null) {
                inFlight.put(r.packetId(), new InFlight(f.publish(), true, f.receivedNanos(), f.shared(), f.seq()));
                records.put(f.seq(), f.publish(), StoredMessage.State.RELEASED, wallClock(f.receivedNanos()), null);
                send(new PubRel(r.packetId()));
            }
        } else if (ack instanceof PubComp c) {
            complete(c.packetId());
        }
        return this;
    }

    private void complete(int packetId) {
        InFlight done = inFlight.remove(packetId);
        if (done != null) {
            records.remove(done.seq());
            pump();
        }
    }

    /** Sends queued messages while the client is attached and its window has room. */
    private void pump() {
        while (connection != null && !queue.isEmpty()) {
            Queued head = queue.peekFirst();
            if (head.publish().qos() != QoS.AT_MOST_ONCE && inFlight.size() >= window) {
                break;
            }
            queue.pollFirst();
            metrics.addQueued(-1);
            Publish next = MessageExpiry.remaining(head.publish(), head.receivedNanos(), System.nanoTime());
            if (next == null) {
                metrics.recordExpiredDrop();
                records.remove(head.seq());
                continue;
            }
            if (next.qos() == QoS.AT_MOST_ONCE) {
                send(next);
                continue;
            }
            sendInFlight(next, head.receivedNanos(), head.shared(), head.seq(), null);
        }
        load.full(inFlight.size() >= window || !queue.isEmpty());
        load.queueFull(queue.size() >= settings.maxQueuedMessages());
    }

    /** A QoS 1/2 message to the client with a packet id of its own, kept in flight until acknowledged. */
    private void sendInFlight(Publish message, long receivedNanos, Deliver shared, long seq, OnCommit ack) {
        int id = allocatePacketId();
        Publish withId = new Publish(
                message.topic(), message.qos(), message.retain(), false, id, message.properties(), message.payload());
        long stored = records.put(seq, withId, StoredMessage.State.IN_FLIGHT, wallClock(receivedNanos), ack);
        inFlight.put(id, new InFlight(withId, false, receivedNanos, shared, stored));
        send(withId);
    }

    /**
     * A shared message that finds this queue full goes to a member whose queue has room, once; the
     * group drops it (and counts it) only when every member's queue is full.
     */
    private boolean handOnOverflow(Deliver d) {
        if (d.overflowed()) {
            d.shared().stats().recordDropped();
            return false;
        }
        RouteEntry entry =
                routing.snapshot().get(d.shared().filter(), d.shared().key());
        SharedGroup group = entry instanceof SharedGroup g ? g : d.shared();
        SharedGroup.Member member = group.chooseWithQueueRoom(getContext().getSelf());
        if (member == null) {
            group.stats().recordDropped();
            return false;
        }
        member.subscriber()
                .session()
                .tell(new Deliver(
                        d.message(),
                        member.subscriber().options().qos(),
                        member.subscriber().options().retainAsPublished(),
                        false,
                        member.subscriptionIds(),
                        group,
                        true,
                        d.stored())); // the member that takes it answers the acknowledgement
        return true;
    }

    private void enqueue(Publish message, Deliver d) {
        if (queue.size() >= settings.maxQueuedMessages()) {
            if (d.shared() != null && handOnOverflow(d)) {
                return;
            }
            metrics.recordQueueFullDrop();
            queueFullLog.happened(clientId);
            SessionRecords.release(d.stored());
            return;
        }
        long now = System.nanoTime();
        long seq = message.qos() == QoS.AT_MOST_ONCE
                ? 0
                : records.put(0, message, StoredMessage.State.QUEUED, System.currentTimeMillis(), d.stored());
        queue.addLast(new Queued(message, now, d.shared() != null ? d : null, seq));
        metrics.addQueued(1);
        load.queueFull(queue.size() >= settings.maxQueuedMessages());
        // The load is updated at the end of pump(): marking it full here, only for pump() to clear it
        // a moment later, would turn shared-subscription routing away from a member with room.
    }

    /**
     * The client is gone: messages that came through a shared subscription and are queued, or QoS 1
     * and in flight, go to another member of their group instead of waiting for this one (MQTT 5.0
     * section 4.8.2). A QoS 2 message in flight stays: it must complete with this client. When the
     * session ends ({@code ending}), what no other member takes is dropped and counted.
     */
    private void handOverShared(boolean ending) {
        long now = System.nanoTime();
        inFlight.values().removeIf(f -> {
            boolean left = f.shared() != null
                    && f.publish().qos() == QoS.AT_LEAST_ONCE
                    && redeliver(f.shared().withStored(null), f.receivedNanos(), now, ending);
            if (left) {
                records.remove(f.seq());
            }
            return left;
        });
        int before = queue.size();
        queue.removeIf(q -> {
            boolean left = q.shared() != null && redeliver(q.shared().withStored(null), q.receivedNanos(), now, ending);
            if (left) {
                records.remove(q.seq());
            }
            return left;
        });
        metrics.addQueued(queue.size() - before);
        load.queueFull(queue.size() >= settings.maxQueuedMessages());
    }

    /** Returns whether the message left this session (taken by another member, expired or dropped). */
    private boolean redeliver(Deliver d, long receivedNanos, long now, boolean ending) {
        Publish message = MessageExpiry.remaining(d.message(), receivedNanos, now);
        if (message == null) {
            metrics.recordExpiredDrop();
            SessionRecords.release(d.stored());
            return true;
        }
        RouteEntry entry =
                routing.snapshot().get(d.shared().filter(), d.shared().key());
        SharedGroup group = entry instanceof SharedGroup g ? g : d.shared();
        if (Router.deliverShared(group, message, "", getContext().getSelf(), d.stored())) {
            group.stats().recordRedelivered();
            return true;
        }
        SessionRecords.release(d.stored());
        return ending;
    }

    private Behavior<Command> onEnd() {
        ensureLoaded();
        onStop();
        records.ended();
        load.durable(false);
        queue.clear();
        inFlight.clear();
        getContext().scheduleOnce(END_GRACE, getContext().getSelf(), Stop.INSTANCE);
        long now = System.nanoTime();
        return Behaviors.receive(Command.class)
                .onMessage(Deliver.class, d -> {
                    if (d.shared() != null) {
                        redeliver(d, now, now, true);
                    } else {
                        SessionRecords.release(d.stored());
                    }
                    return Behaviors.same();
                })
                .onMessage(InboundQos2.class, q -> {
                    SessionRecords.release(q.stored());
                    return Behaviors.same();
                })
                .onMessage(Stop.class, stop -> Behaviors.stopped())
                .build();
    }

    private Behavior<Command> onStop() {
        handOverShared(true);
        metrics.addQueued(-queue.size());
        load.attached(false);
        return this;
    }

    /** A session restored from the store takes back its messages and incoming QoS 2 ids when first needed. */
    private void ensureLoaded() {
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
        load.queueFull(queue.size() >= settings.maxQueuedMessages());
    }

    /** Writes every message the session holds (it has just become persistent). */
    private void storeAll() {
        inFlight.replaceAll((id, f) -> new InFlight(
                f.publish(),
                f.released(),
                f.receivedNanos(),
                f.shared(),
                records.put(
                        0,
                        f.publish(),
                        f.released() ? StoredMessage.State.RELEASED : StoredMessage.State.IN_FLIGHT,
                        wallClock(f.receivedNanos()),
                        null)));
        int size = queue.size();
        for (int i = 0; i < size; i++) {
            Queued q = queue.pollFirst();
            long seq = q.publish().qos() == QoS.AT_MOST_ONCE
                    ? 0
                    : records.put(0, q.publish(), StoredMessage.State.QUEUED, wallClock(q.receivedNanos()), null);
            queue.addLast(new Queued(q.publish(), q.receivedNanos(), q.shared(), seq));
        }
    }

    /** The wall-clock time of a System.nanoTime() reading, for a record that outlives this process. */
    private static long wallClock(long nanos) {
        return System.currentTimeMillis() - (System.nanoTime() - nanos) / 1_000_000L;
    }

    private int allocatePacketId() {
        while (inFlight.containsKey(nextPacketId)) {
            nextPacketId = nextPacketId == 65_535 ? 1 : nextPacketId + 1;
        }
        int id = nextPacketId;
        nextPacketId = nextPacketId == 65_535 ? 1 : nextPacketId + 1;
        return id;
    }

    private void send(MqttPacket packet) {
        connection.tell(new ConnectionActor.Outbound(packet));
    }

    private static Publish withDup(Publish p) {
        return new Publish(p.topic(), p.qos(), p.retain(), true, p.packetId(), p.properties(), p.payload());
    }
}

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
            boolean overflowed)
            implements Command {

        public Deliver(
                Publish message,
                QoS subscriptionQos,
                boolean retainAsPublished,
                boolean fromRetained,
                List<Integer> subscriptionIds,
                SharedGroup shared) {
            this(message, subscriptionQos, retainAsPublished, fromRetained, subscriptionIds, shared, false);
        }
    }

    /** A connection takes the session; the reply is {@link ConnectionActor.Attached}. */
    public record Attach(
            MqttVersion version,
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
    public record InboundQos2(int packetId, boolean released) implements Command {}

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
    private record InFlight(Publish publish, boolean released, long receivedNanos, Deliver shared) {}

    /** A message waiting to be sent, with when it arrived (for its Message Expiry Interval). */
    private record Queued(Publish publish, long receivedNanos, Deliver shared) {}

    private final String clientId;
    private final BrokerSettings settings;
    private final BrokerMetrics metrics;
    private final SessionLoad load;
    private final RoutingTable routing;
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
        return Behaviors.setup(context -> new SessionActor(context, clientId, settings, metrics, load, routing));
    }

    private SessionActor(
            ActorContext<Command> context,
            String clientId,
            BrokerSettings settings,
            BrokerMetrics metrics,
            SessionLoad load,
            RoutingTable routing) {
        super(context);
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
                .onSignal(PostStop.class, stop -> onStop())
                .build();
    }

    private Behavior<Command> onAttach(Attach attach) {
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
        if (event.released()) {
            inboundQos2.remove(event.packetId());
        } else {
            inboundQos2.add(event.packetId());
        }
        return this;
    }

    private Behavior<Command> onDeliver(Deliver d) {
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
            return this;
        }
        if (qos == QoS.AT_MOST_ONCE) {
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
            sendInFlight(out, System.nanoTime(), d.shared() != null ? d : null);
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
                inFlight.put(r.packetId(), new InFlight(f.publish(), true, f.receivedNanos(), f.shared()));
                send(new PubRel(r.packetId()));
            }
        } else if (ack instanceof PubComp c) {
            complete(c.packetId());
        }
        return this;
    }

    private void complete(int packetId) {
        if (inFlight.remove(packetId) != null) {
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
                continue;
            }
            if (next.qos() == QoS.AT_MOST_ONCE) {
                send(next);
                continue;
            }
            sendInFlight(next, head.receivedNanos(), head.shared());
        }
        load.full(inFlight.size() >= window || !queue.isEmpty());
        load.queueFull(queue.size() >= settings.maxQueuedMessages());
    }

    /** A QoS 1/2 message to the client with a packet id of its own, kept in flight until acknowledged. */
    private void sendInFlight(Publish message, long receivedNanos, Deliver shared) {
        int id = allocatePacketId();
        Publish withId = new Publish(
                message.topic(), message.qos(), message.retain(), false, id, message.properties(), message.payload());
        inFlight.put(id, new InFlight(withId, false, receivedNanos, shared));
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
                        true));
        return true;
    }

    private void enqueue(Publish message, Deliver d) {
        if (queue.size() >= settings.maxQueuedMessages()) {
            if (d.shared() != null && handOnOverflow(d)) {
                return;
            }
            metrics.recordQueueFullDrop();
            queueFullLog.happened(clientId);
            return;
        }
        queue.addLast(new Queued(message, System.nanoTime(), d.shared() != null ? d : null));
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
        inFlight.values()
                .removeIf(f -> f.shared() != null
                        && f.publish().qos() == QoS.AT_LEAST_ONCE
                        && redeliver(f.shared(), f.receivedNanos(), now, ending));
        int before = queue.size();
        queue.removeIf(q -> q.shared() != null && redeliver(q.shared(), q.receivedNanos(), now, ending));
        metrics.addQueued(queue.size() - before);
        load.queueFull(queue.size() >= settings.maxQueuedMessages());
    }

    /** Returns whether the message left this session (taken by another member, expired or dropped). */
    private boolean redeliver(Deliver d, long receivedNanos, long now, boolean ending) {
        Publish message = MessageExpiry.remaining(d.message(), receivedNanos, now);
        if (message == null) {
            metrics.recordExpiredDrop();
            return true;
        }
        RouteEntry entry =
                routing.snapshot().get(d.shared().filter(), d.shared().key());
        SharedGroup group = entry instanceof SharedGroup g ? g : d.shared();
        if (Router.deliverShared(group, message, "", getContext().getSelf())) {
            group.stats().recordRedelivered();
            return true;
        }
        return ending;
    }

    private Behavior<Command> onEnd() {
        onStop();
        queue.clear();
        inFlight.clear();
        getContext().scheduleOnce(END_GRACE, getContext().getSelf(), Stop.INSTANCE);
        long now = System.nanoTime();
        return Behaviors.receive(Command.class)
                .onMessage(Deliver.class, d -> {
                    if (d.shared() != null) {
                        redeliver(d, now, now, true);
                    }
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

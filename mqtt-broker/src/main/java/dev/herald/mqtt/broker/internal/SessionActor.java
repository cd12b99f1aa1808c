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
import dev.herald.mqtt.store.internal.BrokerStore;
import dev.herald.mqtt.store.internal.OnCommit;
import dev.herald.runtime.CborSerializable;
import dev.herald.runtime.RateLimitedWarning;
import java.time.Duration;
import java.util.List;
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

    public interface Command extends CborSerializable {}

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

    private final String clientId;
    private final BrokerSettings settings;
    private final BrokerMetrics metrics;
    private final SessionLoad load;
    private final RoutingTable routing;
    private final SessionMessages messages;
    private final SharedHandOver shared;
    /** The BrokerNode that started this session (replicated broker only), told of attach and detach. */
    private ActorRef<BrokerNode.Command> node;

    private ActorRef<ConnectionActor.Command> connection;
    private MqttVersion version = MqttVersion.V5;
    private int window;
    private long maximumPacketSize = MqttEncoder.MAX_PACKET_SIZE;
    // Created at the first drop: most sessions never have one.
    private RateLimitedWarning queueFullLog;

    static Behavior<Command> create(
            String clientId, BrokerSettings settings, BrokerMetrics metrics, SessionLoad load, RoutingTable routing) {
        return create(
                clientId,
                settings,
                metrics,
                load,
                routing,
                new SessionRecords(BrokerStore.NONE, clientId, 0, false),
                null,
                null);
    }

    /**
     * A session whose records are kept by {@code records}; one restored from the store loads them when
     * first needed. With {@code attached} (or null) it starts attached to that connection, which
     * already has its CONNACK: a clean session started at its first SUBSCRIBE. {@code node} (or null)
     * is the BrokerNode that started it, which keeps what a new BrokerActor needs to know of it.
     */
    static Behavior<Command> create(
            String clientId,
            BrokerSettings settings,
            BrokerMetrics metrics,
            SessionLoad load,
            RoutingTable routing,
            SessionRecords records,
            Attach attached,
            ActorRef<BrokerNode.Command> node) {
        return Behaviors.setup(context -> {
            SessionActor session = new SessionActor(context, clientId, settings, metrics, load, routing, records);
            session.node = node;
            if (attached != null) {
                session.attach(attached);
            }
            return session;
        });
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
        this.messages = new SessionMessages(records, metrics, settings.maxQueuedMessages());
        load.durable(records.durable());
        this.clientId = clientId;
        this.settings = settings;
        this.metrics = metrics;
        this.load = load;
        this.routing = routing;
        this.window = settings.maxInflight();
        this.shared = new SharedHandOver(messages, routing, metrics, load, context.getSelf());
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
                .onSignal(PostStop.class, stop -> messages.records().durable() ? onStopped() : onStop())
                .build();
    }

    private Behavior<Command> onAttach(Attach attach) {
        attach(attach);
        connection.tell(new ConnectionActor.Attached(messages.inboundQos2()));
        // Resend what was in flight, in the original order, as MQTT 5.0 section 4.4 requires.
        for (SessionMessages.InFlight f : messages.inFlightInOrder()) {
            send(f.released() ? new PubRel(f.publish().packetId()) : withDup(f.publish()));
        }
        pump();
        return this;
    }

    private void attach(Attach attach) {
        messages.restore();
        messages.durable(attach.sessionExpiry());
        load.durable(messages.records().durable());
        if (connection != null && !connection.equals(attach.connection())) {
            getContext().unwatch(connection);
        }
        connection = attach.connection();
        if (!connection.path().address().hasLocalScope()) {
            // On another node, which may fail without its connection telling: detached then.
            getContext().unwatch(connection);
            getContext().watchWith(connection, new Detach(connection));
        }
        version = attach.version();
        window = Math.min(settings.maxInflight(), attach.receiveMaximum());
        maximumPacketSize = attach.maximumPacketSize();
        load.attached(true);
        if (node != null) {
            node.tell(new BrokerNode.SessionAttached(getContext().getSelf(), connection, attach.sessionExpiry()));
        }
    }

    private Behavior<Command> onDetach(Detach detach) {
        if (detach.connection().equals(connection)) {
            getContext().unwatch(connection);
            connection = null;
            load.attached(false);
            shared.handOver(false);
            if (node != null) {
                node.tell(new BrokerNode.SessionAttached(getContext().getSelf(), null, -1));
            }
        }
        return this;
    }

    private Behavior<Command> onInboundQos2(InboundQos2 event) {
        messages.restore();
        messages.inboundQos2(event.packetId(), event.released(), event.stored());
        return this;
    }

    private Behavior<Command> onDeliver(Deliver d) {
        messages.restore();
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
                send(out);
            } else if (settings.queueQos0Offline()) {
                enqueue(out, d);
            } else {
                metrics.recordOfflineQos0Drop();
            }
            return this;
        }
        if (connection != null && messages.queueEmpty() && messages.inFlightCount() < window) {
            // The usual case: nothing waits and the window has room, so the message goes straight out.
            Deliver shared = d.shared() != null ? d.withStored(null) : null;
            send(messages.addInFlight(out, System.nanoTime(), shared, 0, d.stored()));
            load.full(messages.inFlightCount() >= window);
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
            SessionMessages.InFlight f = messages.inFlight(r.packetId());
            if (f != null && r.reasonCode().isError()) {
                complete(r.packetId()); // the receiver refused it: the exchange ends here (MQTT 5.0 4.3.3)
            } else if (f != null) {
                messages.released(f);
                send(new PubRel(r.packetId()));
            }
        } else if (ack instanceof PubComp c) {
            complete(c.packetId());
        }
        return this;
    }

    private void complete(int packetId) {
        if (messages.complete(packetId)) {
            pump();
        }
    }

    /** Sends queued messages while the client is attached and its window has room. */
    private void pump() {
        while (connection != null && !messages.queueEmpty()) {
            SessionMessages.Queued head = messages.peekQueued();
            if (head.publish().qos() != QoS.AT_MOST_ONCE && messages.inFlightCount() >= window) {
                break;
            }
            messages.pollQueued();
            Publish next = MessageExpiry.remaining(head.publish(), head.receivedNanos(), System.nanoTime());
            if (next == null) {
                metrics.recordExpiredDrop();
                messages.dropped(head);
                continue;
            }
            if (next.qos() == QoS.AT_MOST_ONCE) {
                send(next);
                continue;
            }
            send(messages.addInFlight(next, head.receivedNanos(), head.shared(), head.seq(), null));
        }
        load.full(messages.inFlightCount() >= window || !messages.queueEmpty());
        load.queueFull(messages.queueFull());
    }

    private void enqueue(Publish message, Deliver d) {
        if (messages.queueFull()) {
            if (d.shared() != null && shared.handOnOverflow(d)) {
                return;
            }
            metrics.recordQueueFullDrop();
            if (queueFullLog == null) {
                queueFullLog = new RateLimitedWarning(
                        getContext().getLog(),
                        "Message dropped: session queue full, client",
                        settings.dropLogInterval());
            }
            queueFullLog.happened(clientId);
            SessionRecords.release(d.stored());
            return;
        }
        messages.enqueue(message, d.shared() != null ? d.withStored(null) : null, d.stored());
        load.queueFull(messages.queueFull());
        // The load is updated at the end of pump(): marking it full here, only for pump() to clear it
        // a moment later, would turn shared-subscription routing away from a member with room.
    }

    private Behavior<Command> onEnd() {
        messages.restore();
        onStop();
        messages.clear();
        load.durable(false);
        getContext().scheduleOnce(END_GRACE, getContext().getSelf(), Stop.INSTANCE);
        long now = System.nanoTime();
        return Behaviors.receive(Command.class)
                .onMessage(Deliver.class, d -> {
                    if (d.shared() != null) {
                        shared.redeliver(d, now, now, true);
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
        shared.handOver(true);
        load.attached(false);
        return this;
    }

    private Behavior<Command> onStopped() {
        messages.forget();
        load.attached(false);
        return this;
    }

    private void send(MqttPacket packet) {
        connection.tell(new ConnectionActor.Outbound(packet));
    }

    private static Publish withDup(Publish p) {
        return new Publish(p.topic(), p.qos(), p.retain(), true, p.packetId(), p.properties(), p.payload());
    }
}

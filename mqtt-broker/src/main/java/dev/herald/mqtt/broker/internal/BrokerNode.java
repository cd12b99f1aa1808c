package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.broker.BrokerSettings;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.store.internal.BrokerStore;
import dev.herald.mqtt.store.internal.OnCommit;
import dev.herald.runtime.CborSerializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * One node's part of a broker whose BrokerActor may run on another node (a cluster singleton): it
 * keeps this node's replica of the routing snapshot, built from the changes the BrokerActor sends to
 * every node, so publishes route where they arrive; and it starts the sessions of this node's clients
 * when the BrokerActor asks, so a session lives beside the connection that started it. Replies that
 * must follow a change (a SUBACK follows its subscription) come with the change and leave once it is
 * in this node's snapshot (invariant 5).
 */
public final class BrokerNode extends AbstractBehavior<BrokerNode.Command> {

    /** Every node's BrokerNode registers under this key; the BrokerActor finds them through it. */
    static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "herald-broker-node");

    public interface Command extends CborSerializable {}

    /**
     * One subscription added ({@code session} not null) or removed ({@code session} and {@code options}
     * null) for {@code clientId} and {@code filter} (as the client gave it, {@code $share/...} too).
     */
    public record RouteChange(
            String clientId,
            String filter,
            ActorRef<SessionActor.Command> session,
            Subscription options,
            int subscriptionId) {

        static RouteChange added(String clientId, Subscriber s) {
            return new RouteChange(clientId, s.options().filter(), s.session(), s.options(), s.subscriptionId());
        }

        static RouteChange removed(String clientId, String filter) {
            return new RouteChange(clientId, filter, null, null, 0);
        }
    }

    /**
     * Changes of the BrokerActor of {@code epoch}, in its order: the nodes with a table now ({@code
     * peers}, null when unchanged; before any route to a session there, so a publish goes to such a
     * session by one path only), routes and retained messages; then the SUBACK or UNSUBACK answer (or
     * neither) goes to {@code replyTo}, a connection on this node. Two fields, not one of the
     * connection's command type, so that the wire format needs no type names.
     */
    public record Changes(
            long epoch,
            List<ActorRef<Command>> peers,
            List<RouteChange> changes,
            List<Publish> retained,
            ActorRef<ConnectionActor.Command> replyTo,
            ConnectionActor.Subscribed subscribed,
            ConnectionActor.Unsubscribed unsubscribed)
            implements Command {

        static Changes of(
                long epoch, List<ActorRef<Command>> peers, List<RouteChange> changes, List<Publish> retained) {
            return new Changes(epoch, peers, changes, retained, null, null, null);
        }

        static Changes reply(long epoch, ActorRef<ConnectionActor.Command> to, ConnectionActor.Command reply) {
            return new Changes(
                    epoch,
                    null,
                    List.of(),
                    List.of(),
                    to,
                    reply instanceof ConnectionActor.Subscribed s ? s : null,
                    reply instanceof ConnectionActor.Unsubscribed u ? u : null);
        }
    }

    /**
     * The whole table and the retained messages of the BrokerActor of {@code epoch}: they replace this
     * node's replica.
     */
    public record Snapshot(long epoch, List<ActorRef<Command>> peers, List<RouteChange> routes, List<Publish> retained)
            implements Command {}

    /**
     * A BrokerActor started (after a fail-over, or for the first time) asks what this node holds: the
     * sessions it runs, with their subscriptions, and its copy of the retained messages; answered with
     * {@link BrokerActor.NodeRejoined}. The node routes with its last snapshot until the new one comes.
     */
    public record Rejoin(ActorRef<BrokerActor.Command> replyTo) implements Command {}

    /** One session a node runs, as a new BrokerActor takes it back; {@code connection} null when detached. */
    public record RejoinedSession(
            String clientId,
            long incarnation,
            ActorRef<SessionActor.Command> session,
            ActorRef<ConnectionActor.Command> connection,
            long sessionExpiry,
            List<RouteChange> routes) {}

    /** A session of this node was attached to {@code connection} (null: detached, expiry -1: unchanged). */
    record SessionAttached(
            ActorRef<SessionActor.Command> session, ActorRef<ConnectionActor.Command> connection, long sessionExpiry)
            implements Command {}

    /** What this node knows of a session it runs. */
    private static final class LocalSession {
        final String clientId;
        final long incarnation;
        final SessionLoad load;
        final Map<String, RouteChange> routes = new LinkedHashMap<>();
        ActorRef<ConnectionActor.Command> connection;
        long sessionExpiry;

        LocalSession(String clientId, long incarnation, SessionLoad load) {
            this.clientId = clientId;
            this.incarnation = incarnation;
            this.load = load;
        }
    }

    /**
     * Start the session of {@code clientId} on this node, attached to {@code attach}'s connection (or
     * null, detached); answered with {@link BrokerActor.SessionStarted}.
     */
    public record StartSession(
            String clientId, long incarnation, SessionActor.Attach attach, ActorRef<BrokerActor.Command> replyTo)
            implements Command {}

    /** One session of this node a publish from another node goes to, with its subscription's options. */
    public record Delivery(
            ActorRef<SessionActor.Command> session,
            QoS qos,
            boolean retainAsPublished,
            List<Integer> subscriptionIds,
            OnCommit stored) {}

    /**
     * A publish routed on another node for sessions of this one: sent once to the node, handed to each
     * session here (in the order the node sent them, so a session gets one publisher's messages in order).
     */
    public record Deliveries(Publish message, List<Delivery> to) implements Command {}

    private record SessionStopped(ActorRef<SessionActor.Command> session) implements Command {}

    private final BrokerSettings settings;
    private final BrokerMetrics metrics;
    private final RoutingTable routing;
    private final RouteTree tree;
    /** The sessions this node runs: its snapshot shows their loads as they are, others' as ELSEWHERE. */
    private final Map<ActorRef<SessionActor.Command>, LocalSession> localSessions = new HashMap<>();
    /** The latest of them by client id: whose subscription a removal is. */
    private final Map<String, LocalSession> localByClient = new HashMap<>();
    /** A copy of the retained messages, for a BrokerActor that starts on this node after a fail-over. */
    private final Map<String, Publish> retained = new HashMap<>();

    private long epoch;
    private long sessionCounter;

    private final BrokerLocation brokerLocation;
    private final ActorRef<ConnectionSupervisor.Command> connections;

    static Behavior<Command> create(
            BrokerSettings settings,
            BrokerMetrics metrics,
            RoutingTable routing,
            BrokerLocation brokerLocation,
            ActorRef<ConnectionSupervisor.Command> connections) {
        return Behaviors.setup(context -> {
            context.getSystem().receptionist().tell(Receptionist.register(KEY, context.getSelf()));
            return new BrokerNode(context, settings, metrics, routing, brokerLocation, connections);
        });
    }

    private BrokerNode(
            ActorContext<Command> context,
            BrokerSettings settings,
            BrokerMetrics metrics,
            RoutingTable routing,
            BrokerLocation brokerLocation,
            ActorRef<ConnectionSupervisor.Command> connections) {
        super(context);
        this.brokerLocation = brokerLocation;
        this.connections = connections;
        this.settings = settings;
        this.metrics = metrics;
        this.routing = routing;
        this.tree = new RouteTree(settings, metrics);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Changes.class, this::onChanges)
                .onMessage(Snapshot.class, this::onSnapshot)
                .onMessage(StartSession.class, this::onStartSession)
                .onMessage(SessionStopped.class, stopped -> {
                    LocalSession local = localSessions.remove(stopped.session());
                    if (local != null) {
                        localByClient.remove(local.clientId, local);
                    }
                    return this;
                })
                .onMessage(SessionAttached.class, this::onSessionAttached)
                .onMessage(Deliveries.class, this::onDeliveries)
                .onMessage(Rejoin.class, this::onRejoin)
                .build();
    }

    private Behavior<Command> onChanges(Changes c) {
        if (c.epoch() == epoch) {
            peers(c.peers());
            c.changes().forEach(this::apply);
            c.retained().forEach(this::retain);
            routing.publish(tree.tree());
        } else {
            getContext()
                    .getLog()
                    .debug(
                            "Ignored {} route changes of an earlier broker",
                            c.changes().size());
        }
        if (c.subscribed() != null) {
            c.replyTo().tell(c.subscribed());
        }
        if (c.unsubscribed() != null) {
            c.replyTo().tell(c.unsubscribed());
        }
        return this;
    }

    private Behavior<Command> onSnapshot(Snapshot s) {
        epoch = s.epoch();
        peers(s.peers());
        tree.clear();
        localSessions.values().forEach(local -> local.routes.clear());
        s.routes().forEach(this::apply);
        retained.clear();
        s.retained().forEach(this::retain);
        routing.publish(tree.tree());
        getContext()
                .getLog()
                .debug(
                        "Routing snapshot of {} subscriptions from the broker",
                        s.routes().size());
        return this;
    }

    private void apply(RouteChange change) {
        if (change.session() == null) {
            tree.remove(change.filter(), change.clientId());
            LocalSession local = localByClient.get(change.clientId());
            if (local != null) {
                local.routes.remove(change.filter());
            }
            return;
        }
        LocalSession local = localSessions.get(change.session());
        if (local != null) {
            local.routes.put(change.filter(), change);
        }
        SessionLoad load = local != null ? local.load : SessionLoad.ELSEWHERE;
        tree.add(change.clientId(), new Subscriber(change.session(), change.options(), change.subscriptionId(), load));
    }

    private Behavior<Command> onDeliveries(Deliveries d) {
        for (Delivery to : d.to()) {
            to.session()
                    .tell(new SessionActor.Deliver(
                            d.message(),
                            to.qos(),
                            to.retainAsPublished(),
                            false,
                            to.subscriptionIds(),
                            null,
                            false,
                            to.stored()));
        }
        return this;
    }

    /** The BrokerNodes a publish for sessions on other nodes goes through (null: unchanged). */
    private void peers(List<ActorRef<Command>> peers) {
        if (peers != null) {
            Map<Address, ActorRef<Command>> byAddress = new HashMap<>();
            peers.forEach(node -> byAddress.put(node.path().address(), node));
            routing.nodes(Map.copyOf(byAddress));
        }
    }

    private void retain(Publish m) {
        if (m.payload().isEmpty()) {
            retained.remove(m.topic());
        } else {
            retained.put(m.topic(), m);
        }
    }

    private Behavior<Command> onSessionAttached(SessionAttached a) {
        LocalSession local = localSessions.get(a.session());
        if (local != null) {
            local.connection = a.connection();
            if (a.sessionExpiry() >= 0) {
                local.sessionExpiry = a.sessionExpiry();
            }
        }
        return this;
    }

    private Behavior<Command> onRejoin(Rejoin rejoin) {
        // From now on this node's connections send to the new BrokerActor, and again what it may have lost.
        brokerLocation.moveTo(rejoin.replyTo());
        connections.tell(ConnectionSupervisor.BrokerMoved.INSTANCE);
        List<RejoinedSession> sessions = new ArrayList<>();
        localSessions.forEach((ref, local) -> sessions.add(new RejoinedSession(
                local.clientId,
                local.incarnation,
                ref,
                local.connection,
                local.sessionExpiry,
                List.copyOf(local.routes.values()))));
        rejoin.replyTo()
                .tell(new BrokerActor.NodeRejoined(getContext().getSelf(), sessions, List.copyOf(retained.values())));
        getContext().getLog().info("Told the broker of the {} sessions this node runs", sessions.size());
        return this;
    }

    private Behavior<Command> onStartSession(StartSession start) {
        SessionLoad load = new SessionLoad();
        SessionRecords records = new SessionRecords(BrokerStore.NONE, start.clientId(), start.incarnation(), false);
        ActorRef<SessionActor.Command> session = getContext()
                .spawn(
                        SessionActor.create(
                                start.clientId(),
                                settings,
                                metrics,
                                load,
                                routing,
                                records,
                                start.attach(),
                                getContext().getSelf()),
                        "session-" + (++sessionCounter));
        LocalSession local = new LocalSession(start.clientId(), start.incarnation(), load);
        if (start.attach() != null) {
            // Known now: the session's own SessionAttached may come after a Rejoin that reports it.
            local.connection = start.attach().connection();
            local.sessionExpiry = start.attach().sessionExpiry();
        }
        localSessions.put(session, local);
        localByClient.put(start.clientId(), local);
        getContext().watchWith(session, new SessionStopped(session));
        if (start.attach() != null) {
            start.attach().connection().tell(new ConnectionActor.SessionStarted(session));
        }
        start.replyTo().tell(new BrokerActor.SessionStarted(start.clientId(), start.incarnation(), session));
        return this;
    }
}

package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.broker.BrokerSettings;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.store.internal.BrokerStore;
import dev.herald.runtime.CborSerializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
     * Changes of the BrokerActor of {@code epoch}, in its order; then the SUBACK or UNSUBACK answer (or
     * neither) goes to {@code replyTo}, a connection on this node. Two fields, not one of the
     * connection's command type, so that the wire format needs no type names.
     */
    public record Changes(
            long epoch,
            List<RouteChange> changes,
            ActorRef<ConnectionActor.Command> replyTo,
            ConnectionActor.Subscribed subscribed,
            ConnectionActor.Unsubscribed unsubscribed)
            implements Command {

        static Changes of(long epoch, List<RouteChange> changes) {
            return new Changes(epoch, changes, null, null, null);
        }

        static Changes reply(long epoch, ActorRef<ConnectionActor.Command> to, ConnectionActor.Command reply) {
            return new Changes(
                    epoch,
                    List.of(),
                    to,
                    reply instanceof ConnectionActor.Subscribed s ? s : null,
                    reply instanceof ConnectionActor.Unsubscribed u ? u : null);
        }
    }

    /** The whole table of the BrokerActor of {@code epoch}: it replaces this node's replica. */
    public record Snapshot(long epoch, List<RouteChange> routes) implements Command {}

    /**
     * Start the session of {@code clientId} on this node, attached to {@code attach}'s connection (or
     * null, detached); answered with {@link BrokerActor.SessionStarted}.
     */
    public record StartSession(
            String clientId, long incarnation, SessionActor.Attach attach, ActorRef<BrokerActor.Command> replyTo)
            implements Command {}

    private record SessionStopped(ActorRef<SessionActor.Command> session) implements Command {}

    private final BrokerSettings settings;
    private final BrokerMetrics metrics;
    private final RoutingTable routing;
    private final RouteTree tree;
    /** The loads of the sessions this node runs: its snapshot shows them as they are, others as ELSEWHERE. */
    private final Map<ActorRef<SessionActor.Command>, SessionLoad> localSessions = new HashMap<>();

    private long epoch;
    private long sessionCounter;

    static Behavior<Command> create(BrokerSettings settings, BrokerMetrics metrics, RoutingTable routing) {
        return Behaviors.setup(context -> {
            context.getSystem().receptionist().tell(Receptionist.register(KEY, context.getSelf()));
            return new BrokerNode(context, settings, metrics, routing);
        });
    }

    private BrokerNode(
            ActorContext<Command> context, BrokerSettings settings, BrokerMetrics metrics, RoutingTable routing) {
        super(context);
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
                    localSessions.remove(stopped.session());
                    return this;
                })
                .build();
    }

    private Behavior<Command> onChanges(Changes c) {
        if (c.epoch() == epoch) {
            c.changes().forEach(this::apply);
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
        tree.clear();
        s.routes().forEach(this::apply);
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
            return;
        }
        SessionLoad load = localSessions.getOrDefault(change.session(), SessionLoad.ELSEWHERE);
        tree.add(change.clientId(), new Subscriber(change.session(), change.options(), change.subscriptionId(), load));
    }

    private Behavior<Command> onStartSession(StartSession start) {
        SessionLoad load = new SessionLoad();
        SessionRecords records = new SessionRecords(BrokerStore.NONE, start.clientId(), start.incarnation(), false);
        ActorRef<SessionActor.Command> session = getContext()
                .spawn(
                        SessionActor.create(
                                start.clientId(), settings, metrics, load, routing, records, start.attach()),
                        "session-" + (++sessionCounter));
        localSessions.put(session, load);
        getContext().watchWith(session, new SessionStopped(session));
        if (start.attach() != null) {
            start.attach().connection().tell(new ConnectionActor.SessionStarted(session));
        }
        start.replyTo().tell(new BrokerActor.SessionStarted(start.clientId(), start.incarnation(), session));
        return this;
    }
}

package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.broker.AccessControl;
import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.broker.BrokerSettings;
import dev.herald.mqtt.broker.ConnectionIdentity;
import dev.herald.mqtt.store.internal.BrokerStore;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Parent of every ConnectionActor: gives each accepted TCP connection a new actor (which wires the
 * socket to itself, see ConnectionWiring), counts open connections against the limit, and on shutdown tells every
 * connection to close and answers once they all have, or the deadline passed.
 */
public final class ConnectionSupervisor extends AbstractBehavior<ConnectionSupervisor.Command> {

    /** Node-local: a connection is accepted and supervised where its socket is. */
    public interface Command extends NoSerializationVerificationNeeded {}

    /**
     * A new connection from {@code remote}, whose bytes flow through {@code transport}, with what the
     * transport vouches for about its client.
     */
    public record Accepted(
            InetSocketAddress remote, Flow<ByteString, ByteString, NotUsed> transport, ConnectionIdentity identity)
            implements Command {}

    /** A connection's socket is closed, everything written to it flushed. */
    record SocketClosed(ActorRef<ConnectionActor.Command> connection) implements Command {}

    public record Shutdown(Duration deadline, ActorRef<Done> replyTo) implements Command {}

    /** The authorizer answers differently now: every open connection asks it again and checks its subscriptions. */
    enum AccessChanged implements Command {
        INSTANCE
    }

    /** The BrokerActor moved to another node: every connection sends again what it has not had answered. */
    enum BrokerMoved implements Command {
        INSTANCE
    }

    private enum ShutdownDeadline implements Command {
        INSTANCE
    }

    private final BrokerSettings settings;
    private final BrokerMetrics metrics;
    private final Materializer materializer;
    // Shared by every connection: one for connections within the limit, one for those over it.
    private final ConnectionActor.Context connectionContext;
    private final ConnectionActor.Context overCapacityContext;
    private final Set<ActorRef<ConnectionActor.Command>> open = new HashSet<>();
    // Sockets not yet closed: shutdown waits for these too, so a last DISCONNECT is flushed before the system stops.
    private final Set<ActorRef<ConnectionActor.Command>> sockets = new HashSet<>();
    private ActorRef<Done> shutdownReply;
    private boolean stopping;
    private long connectionCounter;

    static Behavior<Command> create(
            BrokerSettings settings,
            BrokerMetrics metrics,
            BrokerLocation broker,
            RoutingTable routing,
            AccessControl access,
            Extensions extensions,
            BrokerStore store) {
        return Behaviors.setup(context ->
                new ConnectionSupervisor(context, settings, metrics, broker, routing, access, extensions, store));
    }

    private ConnectionSupervisor(
            ActorContext<Command> context,
            BrokerSettings settings,
            BrokerMetrics metrics,
            BrokerLocation broker,
            RoutingTable routing,
            AccessControl access,
            Extensions extensions,
            BrokerStore store) {
        super(context);
        this.settings = settings;
        this.metrics = metrics;
        this.materializer = Materializer.matFromSystem(context.getSystem());
        ConnectionWiring wiring = new ConnectionWiring(settings, materializer);
        this.connectionContext = new ConnectionActor.Context(
                settings, metrics, broker, routing, access, false, context.getSelf(), extensions, store, wiring);
        this.overCapacityContext = new ConnectionActor.Context(
                settings, metrics, broker, routing, access, true, context.getSelf(), extensions, store, wiring);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Accepted.class, this::onAccepted)
                .onMessage(Shutdown.class, this::onShutdown)
                .onMessage(ShutdownDeadline.class, d -> finishShutdown())
                .onMessage(SocketClosed.class, this::onSocketClosed)
                .onMessage(BrokerMoved.class, moved -> {
                    open.forEach(connection -> connection.tell(ConnectionActor.BrokerMoved.INSTANCE));
                    return this;
                })
                .onMessage(AccessChanged.class, changed -> {
                    open.forEach(connection -> connection.tell(ConnectionActor.AccessChanged.INSTANCE));
                    return this;
                })
                .onSignal(Terminated.class, this::onTerminated)
                .build();
    }

    private Behavior<Command> onAccepted(Accepted accepted) {
        if (stopping) {
            accepted.transport()
                    .join(Flow.fromSinkAndSource(Sink.cancelled(), Source.empty()))
                    .run(materializer);
            return this;
        }
        ConnectionActor.Context ctx =
                open.size() >= settings.maxConnections() ? overCapacityContext : connectionContext;
        ActorRef<ConnectionActor.Command> actor = getContext()
                .spawn(
                        ConnectionActor.create(
                                ctx,
                                accepted.remote(),
                                new ConnectionActor.Transport(accepted.transport()),
                                accepted.identity()),
                        "conn-" + (++connectionCounter));
        getContext().watch(actor);
        open.add(actor);
        sockets.add(actor);
        metrics.recordConnectionOpened();
        return this;
    }

    private Behavior<Command> onTerminated(Terminated terminated) {
        open.remove(terminated.getRef());
        metrics.recordConnectionClosed();
        return finishShutdownWhenAllClosed();
    }

    private Behavior<Command> onSocketClosed(SocketClosed closed) {
        sockets.remove(closed.connection());
        return finishShutdownWhenAllClosed();
    }

    private Behavior<Command> finishShutdownWhenAllClosed() {
        if (shutdownReply != null && open.isEmpty() && sockets.isEmpty()) {
            return finishShutdown();
        }
        return this;
    }

    private Behavior<Command> onShutdown(Shutdown shutdown) {
        stopping = true;
        shutdownReply = shutdown.replyTo();
        if (open.isEmpty() && sockets.isEmpty()) {
            return finishShutdown();
        }
        open.forEach(c -> c.tell(ConnectionActor.ServerShutdown.INSTANCE));
        getContext().scheduleOnce(shutdown.deadline(), getContext().getSelf(), ShutdownDeadline.INSTANCE);
        return this;
    }

    private Behavior<Command> finishShutdown() {
        if (shutdownReply != null) {
            shutdownReply.tell(Done.getInstance());
            shutdownReply = null;
        }
        return this;
    }
}

package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.broker.AccessControl;
import dev.herald.mqtt.broker.BrokerContext;
import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.broker.BrokerSettings;
import dev.herald.mqtt.broker.ClientView;
import dev.herald.mqtt.broker.ConnectionIdentity;
import dev.herald.mqtt.broker.PublishListener;
import dev.herald.mqtt.filter.PacketFilter;
import dev.herald.mqtt.store.internal.BrokerStore;
import dev.herald.runtime.ServerRuntime;
import dev.herald.runtime.SingleOwner;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * One broker's actors in an ActorSystem: the BrokerActor through its single owner and the connection
 * supervisor that every binding hands its connections to. {@link #disconnectAll} closes every client.
 */
public final class BrokerCore implements BrokerContext {

    private final ActorSystem<?> system;
    private final BrokerSettings settings;
    private final BrokerMetrics metrics;
    private final ServerRuntime runtime;
    private final ActorRef<BrokerActor.Command> broker;
    private final ActorRef<ConnectionSupervisor.Command> connections;
    private final BrokerStore store;
    // Set once, before any binding starts; built after this core because it may need the context.
    private volatile PublishListener listener = PublishListener.NONE;

    public BrokerCore(
            ActorSystem<?> system,
            BrokerSettings settings,
            BrokerMetrics metrics,
            AccessControl access,
            SingleOwner owner,
            ServerRuntime runtime,
            List<PacketFilter> filters,
            BrokerStore store) {
        this.system = system;
        this.settings = settings;
        this.metrics = metrics;
        this.runtime = runtime;
        RoutingTable routing = new RoutingTable();
        this.store = store;
        store.start(system, metrics.store());
        this.broker = owner.start(BrokerActor.create(settings, metrics, routing, store, owner.distributed()), "broker");
        BrokerLocation location = new BrokerLocation(broker, owner.distributed());
        this.connections = system.systemActorOf(
                ConnectionSupervisor.create(
                        settings,
                        metrics,
                        location,
                        routing,
                        access,
                        new Extensions((id, m) -> listener.published(id, m), filters),
                        store),
                "connections",
                Props.empty());
        if (owner.distributed()) {
            // The BrokerActor may run on another node: this node keeps its own routing snapshot.
            system.systemActorOf(
                    BrokerNode.create(settings, metrics, routing, location, connections), "broker-node", Props.empty());
        }
    }

    /** Who sees client publishes; set before the bindings start. */
    public void listener(PublishListener value) {
        this.listener = value;
    }

    @Override
    public ActorSystem<?> system() {
        return system;
    }

    @Override
    public BrokerSettings settings() {
        return settings;
    }

    @Override
    public BrokerMetrics metrics() {
        return metrics;
    }

    @Override
    public void accept(InetSocketAddress remote, Flow<ByteString, ByteString, NotUsed> transport) {
        accept(remote, transport, ConnectionIdentity.NONE);
    }

    @Override
    public void accept(
            InetSocketAddress remote, Flow<ByteString, ByteString, NotUsed> transport, ConnectionIdentity identity) {
        connections.tell(new ConnectionSupervisor.Accepted(remote, transport, identity));
    }

    @Override
    public CompletionStage<List<ClientView>> clients(Duration timeout) {
        return AskPattern.ask(broker, BrokerActor.ListClients::new, timeout, system.scheduler())
                .thenApply(BrokerActor.Clients::views);
    }

    @Override
    public boolean ready() {
        return runtime.ready();
    }

    @Override
    public Map<String, List<InetSocketAddress>> boundAddresses() {
        return runtime.boundAddresses();
    }

    /**
     * Answers once the BrokerActor handled everything sent to it before: after start-up, once what the
     * store held is restored.
     */
    public CompletionStage<Done> settled(Duration timeout) {
        return AskPattern.askWithStatus(broker, BrokerActor.Settled::new, timeout, system.scheduler());
    }

    /**
     * Commits what the broker's actors have written and closes the store. Called after the clients are
     * disconnected, once the BrokerActor has handled their disconnects.
     */
    public CompletionStage<Done> closeStore(Duration timeout) {
        if (!store.enabled()) {
            return store.close(system, timeout);
        }
        return settled(timeout).thenCompose(done -> store.close(system, timeout));
    }

    /**
     * The authorizer answers differently now: every open connection asks it again for its
     * permissions and drops the subscriptions they no longer allow.
     */
    public void accessChanged() {
        connections.tell(ConnectionSupervisor.AccessChanged.INSTANCE);
    }

    /** Closes every connection (MQTT 5 clients get DISCONNECT 0x8B) and answers once all are closed. */
    public CompletionStage<Done> disconnectAll(Duration deadline) {
        return AskPattern.ask(
                connections,
                replyTo -> new ConnectionSupervisor.Shutdown(deadline, replyTo),
                deadline.plusSeconds(1),
                system.scheduler());
    }
}

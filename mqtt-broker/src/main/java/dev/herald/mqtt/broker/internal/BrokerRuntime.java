package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.broker.AccessControl;
import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.broker.BrokerSettings;
import dev.herald.runtime.SingleOwner;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Tcp;

/**
 * Wires one broker into an ActorSystem: the BrokerActor through its single owner, the connection
 * supervisor, and the MQTT listener. {@link #stop} unbinds, disconnects every client, and returns.
 */
public final class BrokerRuntime {

    private final ActorRef<ConnectionSupervisor.Command> connections;
    private final Tcp.ServerBinding binding;
    private final ActorSystem<?> system;

    private BrokerRuntime(
            ActorSystem<?> system, ActorRef<ConnectionSupervisor.Command> connections, Tcp.ServerBinding binding) {
        this.system = system;
        this.connections = connections;
        this.binding = binding;
    }

    /** Starts the actors and binds the listener; the stage completes once the port is bound. */
    public static CompletionStage<BrokerRuntime> start(
            ActorSystem<?> system,
            BrokerSettings settings,
            BrokerMetrics metrics,
            AccessControl access,
            SingleOwner owner) {
        RoutingTable routing = new RoutingTable();
        ActorRef<BrokerActor.Command> broker = owner.start(BrokerActor.create(settings, metrics, routing), "broker");
        ActorRef<ConnectionSupervisor.Command> connections = system.systemActorOf(
                ConnectionSupervisor.create(settings, metrics, broker, routing, access), "connections", Props.empty());
        return Tcp.get(system)
                .bind(settings.bind(), settings.port())
                .to(Sink.foreach(c -> connections.tell(new ConnectionSupervisor.Accepted(c))))
                .run(system)
                .thenApply(binding -> new BrokerRuntime(system, connections, binding));
    }

    public InetSocketAddress address() {
        return binding.localAddress();
    }

    /** Stops accepting, then closes every connection (MQTT 5 clients get DISCONNECT 0x8B). */
    public CompletionStage<Done> stop(Duration deadline) {
        return binding.unbind()
                .thenCompose(unbound -> AskPattern.<ConnectionSupervisor.Command, Done>ask(
                        connections,
                        replyTo -> new ConnectionSupervisor.Shutdown(deadline, replyTo),
                        deadline.plusSeconds(1),
                        system.scheduler()));
    }
}

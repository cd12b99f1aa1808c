package dev.herald.mqtt.broker;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * What a protocol binding built around a running broker may use: its ActorSystem, settings and
 * counters, the door through which new connections come in, and read-only views of its state.
 * {@link EmbeddedBroker.Builder#binding} hands one to each binding factory.
 */
public interface BrokerContext {

    ActorSystem<?> system();

    BrokerSettings settings();

    BrokerMetrics metrics();

    /**
     * Speaks MQTT over a new connection: the broker reads packets from the bytes {@code transport}
     * emits and writes its answers into it, with the same codec and actors whatever carries the
     * bytes (TCP, WebSocket, ...). The connection ends when either side completes.
     */
    void accept(InetSocketAddress remote, Flow<ByteString, ByteString, NotUsed> transport);

    /**
     * As {@link #accept(InetSocketAddress, Flow)}, for a transport that vouches for the client (a
     * verified TLS client certificate): see {@link ConnectionIdentity#verifiedUsername()}.
     */
    void accept(InetSocketAddress remote, Flow<ByteString, ByteString, NotUsed> transport, ConnectionIdentity identity);

    /** Every session with its subscriptions, as the BrokerActor holds them when it answers. */
    CompletionStage<List<ClientView>> clients(Duration timeout);

    /** True while every binding of the broker is bound (what a health check reports). */
    boolean ready();

    /** Every binding's name with the addresses it has bound now (empty lists before they bind). */
    Map<String, List<InetSocketAddress>> boundAddresses();
}

package dev.herald.mqtt.broker;

import dev.herald.runtime.ProtocolBinding;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Tcp;

/** MQTT over TCP: a Pekko Streams TCP listener whose every connection goes to the broker. */
public final class MqttTcpBinding implements ProtocolBinding {

    public static final String NAME = "mqtt";

    private final BrokerContext broker;
    private final String host;
    private final int port;
    private volatile Tcp.ServerBinding binding;

    /** Listens where the broker's settings say ({@code herald.mqtt.bind} and {@code port}). */
    public MqttTcpBinding(BrokerContext broker) {
        this(broker, broker.settings().bind(), broker.settings().port());
    }

    public MqttTcpBinding(BrokerContext broker, String host, int port) {
        this.broker = broker;
        this.host = host;
        this.port = port;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletionStage<List<InetSocketAddress>> start() {
        return Tcp.get(broker.system())
                .bind(host, port)
                .to(Sink.foreach(c -> broker.accept(c.remoteAddress(), c.flow())))
                .run(broker.system())
                .thenApply(bound -> {
                    binding = bound;
                    return boundAddresses();
                });
    }

    @Override
    public CompletionStage<Done> stop(Duration deadline) {
        Tcp.ServerBinding bound = binding;
        if (bound == null) {
            return CompletableFuture.completedFuture(Done.getInstance());
        }
        return bound.unbind().thenApply(unbound -> {
            binding = null;
            return Done.getInstance();
        });
    }

    @Override
    public List<InetSocketAddress> boundAddresses() {
        Tcp.ServerBinding bound = binding;
        return bound == null ? List.of() : List.of(bound.localAddress());
    }
}

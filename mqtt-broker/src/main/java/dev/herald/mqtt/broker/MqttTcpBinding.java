package dev.herald.mqtt.broker;

import dev.herald.mqtt.transport.TcpListener;
import dev.herald.runtime.ProtocolBinding;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/** MQTT over TCP: a Pekko Streams TCP listener whose every connection goes to the broker. */
public final class MqttTcpBinding implements ProtocolBinding {

    public static final String NAME = "mqtt";

    private final BrokerContext broker;
    private final String host;
    private final int port;
    private final TcpListener listener = new TcpListener();

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
        return listener.bind(broker.system(), host, port, broker::accept);
    }

    @Override
    public CompletionStage<Done> stop(Duration deadline) {
        return listener.unbind();
    }

    @Override
    public List<InetSocketAddress> boundAddresses() {
        return listener.addresses();
    }
}

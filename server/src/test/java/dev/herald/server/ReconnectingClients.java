package dev.herald.server;

import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientDisconnectedContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT clients of one {@link ClusterKillIT} run: each reconnects, with its session kept, to a
 * fallback node when its connection is lost, unless the test is closing them.
 */
final class ReconnectingClients {

    /** The session expiry interval of the persistent sessions, in seconds. */
    static final long SESSION_EXPIRY = 300;

    private static final Logger log = LoggerFactory.getLogger(ClusterKillIT.class);

    private final List<Mqtt5AsyncClient> clients = new CopyOnWriteArrayList<>();
    private volatile boolean closing;

    /**
     * A client of the node on {@code port} that, when the connection is lost (not closed by the test),
     * reconnects to {@code fallbackPort} with Clean Start false, a bounded number of times.
     */
    Mqtt5AsyncClient client(String id, int port, int fallbackPort) {
        Mqtt5AsyncClient c = Mqtt5Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .addDisconnectedListener(context -> {
                    if (context.getSource() == MqttDisconnectSource.USER) {
                        return;
                    }
                    var reconnector = ((Mqtt5ClientDisconnectedContext) context).getReconnector();
                    boolean again = !closing && reconnector.getAttempts() < 20;
                    if (again) {
                        log.info(
                                "{} lost its connection ({}), reconnecting to port {}",
                                id,
                                context.getCause(),
                                fallbackPort);
                    }
                    reconnector
                            .reconnect(again)
                            .delay(200, TimeUnit.MILLISECONDS)
                            .transportConfig()
                            .serverHost("127.0.0.1")
                            .serverPort(fallbackPort)
                            .applyTransportConfig()
                            .connectWith()
                            .cleanStart(false)
                            .sessionExpiryInterval(SESSION_EXPIRY)
                            .applyConnect();
                })
                .buildAsync();
        clients.add(c);
        return c;
    }

    /** Connects with Clean Start true and this session expiry, waiting at most {@link ClusterKillIT#WAIT}. */
    static void connect(Mqtt5AsyncClient client, long sessionExpiry) throws Exception {
        client.connectWith()
                .cleanStart(true)
                .sessionExpiryInterval(sessionExpiry)
                .send()
                .get(ClusterKillIT.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Disconnects every client and forgets it; a client that loses its connection from now on stays off. */
    void beginClosing() {
        closing = true;
        for (Mqtt5AsyncClient c : clients) {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        }
        clients.clear();
    }

    /** Clients made from now on reconnect again. */
    void endClosing() {
        closing = false;
    }
}

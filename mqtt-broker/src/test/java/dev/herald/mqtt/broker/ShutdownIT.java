package dev.herald.mqtt.broker;

import static dev.herald.mqtt.broker.TestClients.WAIT;
import static dev.herald.mqtt.broker.TestClients.awaitServerDisconnect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.reason.DisconnectReasonCode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Stopping an embedded broker tells every connected MQTT 5 client why: DISCONNECT 0x8B Server
 * shutting down (MQTT 5.0 section 3.14.2.1); 3.1.1 clients see the connection close.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class ShutdownIT {

    @Test
    void clientsAreToldTheServerIsShuttingDown() throws Exception {
        EmbeddedBroker broker = EmbeddedBroker.start();
        boolean stopped = false;
        Queue<MqttClientDisconnectedContext> disconnects = new ConcurrentLinkedQueue<>();
        Mqtt5BlockingClient client = Mqtt5Client.builder()
                .identifier("shutdown-v5")
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .addDisconnectedListener(disconnects::add)
                .buildBlocking();
        try (RawMqttClient rawV5 = RawMqttClient.open(broker.port(), MqttVersion.V5);
                RawMqttClient rawV3 = RawMqttClient.open(broker.port(), MqttVersion.V3_1_1)) {
            client.connect();
            rawV5.connect("shutdown-raw5", true, 0, null);
            rawV3.connect("shutdown-raw3", true, 0, null);

            int port = broker.port();
            broker.close();
            stopped = true;

            awaitServerDisconnect(disconnects, Mqtt5DisconnectReasonCode.SERVER_SHUTTING_DOWN);

            assertThat(rawV5.readUntilClosed(WAIT))
                    .containsExactly(new Disconnect(DisconnectReasonCode.SERVER_SHUTTING_DOWN)); // 0x8B
            assertThat(rawV3.readUntilClosed(WAIT)).isEmpty();

            assertThatThrownBy(() -> {
                        try (Socket s = new Socket()) {
                            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                        }
                    })
                    .as("the listener is unbound")
                    .isInstanceOf(IOException.class);
        } finally {
            if (!stopped) {
                broker.close();
            }
        }
    }
}

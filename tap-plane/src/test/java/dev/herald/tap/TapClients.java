package dev.herald.tap;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.herald.mqtt.broker.EmbeddedBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Real MQTT 5 clients (HiveMQ MQTT Client) on 127.0.0.1 for the tap ITs. */
final class TapClients {

    /** How long a test waits for anything that should happen. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private TapClients() {}

    static Mqtt5BlockingClient connect(EmbeddedBroker broker, String id) {
        Mqtt5BlockingClient client = Mqtt5Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .buildBlocking();
        client.connect();
        return client;
    }

    static void publish(Mqtt5BlockingClient client, String topic, String payload) {
        client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_MOST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8))
                .send();
    }

    /** Publishes at QoS 1, so the broker has routed the message (and offered it to the taps) on return. */
    static void publishAcked(Mqtt5BlockingClient client, String topic, String payload) {
        client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8))
                .send();
    }

    /** Subscribes and collects every PUBLISH the client receives. */
    static Queue<Mqtt5Publish> subscribe(Mqtt5BlockingClient client, String filter) {
        Queue<Mqtt5Publish> received = new ConcurrentLinkedQueue<>();
        client.toAsync().publishes(MqttGlobalPublishFilter.ALL, received::add);
        client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_MOST_ONCE).send();
        return received;
    }

    static void disconnectQuietly(Mqtt5BlockingClient client) {
        try {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        } catch (RuntimeException ignored) {
            // already gone
        }
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

package dev.herald.cluster;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import dev.herald.cluster.testkit.ClusteredBrokers;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** MQTT 5 clients of the nodes of a clustered broker, for the tests; payloads as UTF-8 text. */
final class NodeClients {

    private NodeClients() {}

    /** A client of {@code node}, not connected yet; what it receives goes to {@code payloads} (or nowhere). */
    static Mqtt5BlockingClient client(ClusteredBrokers cluster, String id, int node, Consumer<String> payloads) {
        Mqtt5BlockingClient c = Mqtt5Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(cluster.port(node))
                .buildBlocking();
        if (payloads != null) {
            c.toAsync()
                    .publishes(
                            MqttGlobalPublishFilter.ALL,
                            p -> payloads.accept(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
        }
        return c;
    }

    static void publish(Mqtt5BlockingClient c, String topic, String payload, MqttQos qos, boolean retain) {
        c.publishWith()
                .topic(topic)
                .payload(payload.getBytes(StandardCharsets.UTF_8))
                .qos(qos)
                .retain(retain)
                .send();
    }
}

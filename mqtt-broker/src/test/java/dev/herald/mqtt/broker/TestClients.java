package dev.herald.mqtt.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Real MQTT clients on 127.0.0.1 for the broker ITs: HiveMQ MQTT Client (5 and 3.1.1) and Eclipse
 * Paho (5 and 3.1.1, in-memory persistence so nothing is written to the working directory).
 */
final class TestClients {

    /** How long a test waits for anything that should happen. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private TestClients() {}

    static Mqtt5BlockingClient v5(int port, String id) {
        return Mqtt5Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
    }

    static Mqtt5BlockingClient connectV5(int port, String id) {
        Mqtt5BlockingClient c = v5(port, id);
        c.connect();
        return c;
    }

    static Mqtt3BlockingClient v3(int port, String id) {
        return Mqtt3Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
    }

    static Mqtt3BlockingClient connectV3(int port, String id) {
        Mqtt3BlockingClient c = v3(port, id);
        c.connect();
        return c;
    }

    /** Collects every PUBLISH the client receives (register before subscribing or connecting). */
    static Queue<Mqtt5Publish> collect(Mqtt5BlockingClient client) {
        Queue<Mqtt5Publish> received = new ConcurrentLinkedQueue<>();
        client.toAsync().publishes(MqttGlobalPublishFilter.ALL, received::add);
        return received;
    }

    static void subscribe(Mqtt5BlockingClient client, String filter, MqttQos qos) {
        client.subscribeWith().topicFilter(filter).qos(qos).send();
    }

    static void publish(Mqtt5BlockingClient client, String topic, MqttQos qos, String payload) {
        client.publishWith().topic(topic).qos(qos).payload(bytes(payload)).send();
    }

    /** Waits until {@code received} holds at least {@code count} messages. */
    /** Waits until the client was disconnected by the server with a DISCONNECT of that reason. */
    static void awaitServerDisconnect(
            Queue<MqttClientDisconnectedContext> disconnects, Mqtt5DisconnectReasonCode expected) {
        await().atMost(WAIT).until(() -> !disconnects.isEmpty());
        MqttClientDisconnectedContext context = disconnects.peek();
        assertThat(context.getSource()).isEqualTo(MqttDisconnectSource.SERVER);
        assertThat(context.getCause()).isInstanceOf(Mqtt5DisconnectException.class);
        assertThat(((Mqtt5DisconnectException) context.getCause())
                        .getMqttMessage()
                        .getReasonCode())
                .isEqualTo(expected);
    }

    static <T> void awaitCount(Queue<T> received, int count) {
        await().atMost(WAIT).until(() -> received.size() >= count);
    }

    /**
     * Waits for the message on {@code sentinelTopic} and returns the payloads of everything received
     * before it, in order. Publishing a sentinel after the messages that must not arrive turns "nothing
     * arrives" into something a test can wait for. MQTT 5.0 section 4.6 promises order per topic and
     * QoS; Herald keeps one publisher's messages to one session in order across topics too (one
     * session actor sees them in turn), so the sentinel is sent at the same QoS as what it follows.
     */
    static List<String> payloadsBefore(Queue<Mqtt5Publish> received, String sentinelTopic) {
        await().atMost(WAIT).until(() -> received.stream()
                .anyMatch(p -> p.getTopic().toString().equals(sentinelTopic)));
        return received.stream()
                .takeWhile(p -> !p.getTopic().toString().equals(sentinelTopic))
                .map(p -> text(p.getPayloadAsBytes()))
                .toList();
    }

    static org.eclipse.paho.client.mqttv3.MqttClient pahoV3(int port, String id) throws Exception {
        return new org.eclipse.paho.client.mqttv3.MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
    }

    static MqttConnectOptions pahoV3Options(boolean cleanSession) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(cleanSession);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        return options;
    }

    static org.eclipse.paho.mqttv5.client.MqttClient pahoV5(int port, String id) throws Exception {
        return new org.eclipse.paho.mqttv5.client.MqttClient(
                "tcp://127.0.0.1:" + port, id, new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    }

    static org.eclipse.paho.mqttv5.client.MqttConnectionOptions pahoV5Options() {
        org.eclipse.paho.mqttv5.client.MqttConnectionOptions options =
                new org.eclipse.paho.mqttv5.client.MqttConnectionOptions();
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        options.setUseSubscriptionIdentifiers(false); // only the ids a test sets itself
        return options;
    }

    /** A message as a Paho client saw it. */
    record PahoMessage(String topic, int qos, boolean retained, String payload, List<Integer> subscriptionIds) {}

    /**
     * Collects what a Paho 5 client receives. Paho 5 (1.2.5) recurses without end in
     * {@code MqttClient.subscribe(String, int, IMqttMessageListener)}, so messages are taken from the
     * client callback and subscriptions are made without listeners.
     */
    static final class PahoV5Inbox implements org.eclipse.paho.mqttv5.client.MqttCallback {
        final Queue<PahoMessage> messages = new ConcurrentLinkedQueue<>();
        final Queue<org.eclipse.paho.mqttv5.client.MqttDisconnectResponse> disconnects = new ConcurrentLinkedQueue<>();

        @Override
        public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage m) {
            List<Integer> ids =
                    m.getProperties() == null ? List.of() : m.getProperties().getSubscriptionIdentifiers();
            messages.add(new PahoMessage(topic, m.getQos(), m.isRetained(), text(m.getPayload()), List.copyOf(ids)));
        }

        @Override
        public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse response) {
            disconnects.add(response);
        }

        @Override
        public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException e) {}

        @Override
        public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) {}

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {}

        @Override
        public void authPacketArrived(int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties p) {}
    }

    /**
     * Waits until the broker counts no more than {@code expected} open connections: the ones a test
     * closed are gone, and so is everything their connection actors sent on the way out.
     */
    static void awaitConnections(EmbeddedBroker broker, long expected) {
        await().atMost(WAIT).until(() -> broker.metrics().connections() <= expected);
    }

    /**
     * Waits until the broker keeps the client's session without a connection. A client's DISCONNECT
     * returns before the broker has detached the session; what is published after this wait is queued.
     */
    static void awaitOffline(EmbeddedBroker broker, String clientId) {
        await().atMost(WAIT).until(() -> broker.context().clients(WAIT).toCompletableFuture().get().stream()
                .anyMatch(c -> c.clientId().equals(clientId) && !c.connected()));
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

    static void disconnectQuietly(Mqtt3BlockingClient client) {
        try {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        } catch (RuntimeException ignored) {
            // already gone
        }
    }

    static void closeQuietly(org.eclipse.paho.client.mqttv3.MqttClient client) {
        try {
            if (client.isConnected()) {
                client.disconnect(2000);
            }
            client.close();
        } catch (Exception ignored) {
            // already gone
        }
    }

    static void closeQuietly(org.eclipse.paho.mqttv5.client.MqttClient client) {
        try {
            if (client.isConnected()) {
                client.disconnect(2000);
            }
            client.close();
        } catch (Exception ignored) {
            // already gone
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}

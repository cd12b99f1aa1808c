package dev.herald.mqtt.broker.malformed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A well-behaved subscriber and publisher (HiveMQ MQTT 5 client), connected before any bad input is
 * sent, that prove the broker and its other clients carry on (ARCHITECTURE.md invariant 6).
 */
final class HealthyClients implements AutoCloseable {

    private static final Duration DEADLINE = Duration.ofSeconds(5);

    private final Mqtt5AsyncClient subscriber;
    private final Mqtt5AsyncClient publisher;
    private final String topic;
    private final Set<String> received = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sequence = new AtomicInteger();

    private HealthyClients(int port) throws Exception {
        String id = UUID.randomUUID().toString();
        topic = "healthy/" + id;
        subscriber = client(port, "healthy-sub-" + id);
        publisher = client(port, "healthy-pub-" + id);
        subscriber
                .subscribeWith()
                .topicFilter("healthy/" + id + "/#")
                .qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> received.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)))
                .send()
                .get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Connects both clients and subscribes; the broker listens on 127.0.0.1:{@code port}. */
    static HealthyClients connect(int port) {
        try {
            return new HealthyClients(port);
        } catch (Exception e) {
            throw new IllegalStateException("healthy clients cannot connect", e);
        }
    }

    private static Mqtt5AsyncClient client(int port, String id) throws Exception {
        Mqtt5AsyncClient c = Mqtt5Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildAsync();
        c.connect().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        return c;
    }

    /** Publishes a new message at QoS 1 and waits until the subscriber has it. */
    void assertStillDelivers(String tag) {
        assertThat(subscriber.getState().isConnected())
                .as("healthy subscriber still connected")
                .isTrue();
        assertThat(publisher.getState().isConnected())
                .as("healthy publisher still connected")
                .isTrue();
        String payload = tag + " #" + sequence.incrementAndGet();
        try {
            publisher
                    .publishWith()
                    .topic(topic + "/" + sequence.get())
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload.getBytes(StandardCharsets.UTF_8))
                    .send()
                    .get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("healthy publisher cannot publish after " + tag, e);
        }
        await("healthy subscriber receives the message published after " + tag)
                .atMost(DEADLINE)
                .until(() -> received.contains(payload));
    }

    @Override
    public void close() {
        for (Mqtt5AsyncClient c : new Mqtt5AsyncClient[] {subscriber, publisher}) {
            try {
                c.disconnect().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // already disconnected: the assertions above report that
            }
        }
    }
}

package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two nodes of the packaged server, each started with one command ({@code --cluster-port},
 * {@code --seed}), form one broker: a message published on one node reaches a subscriber on the
 * other, and each node's {@code GET /cluster} shows both members and where the BrokerActor runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterServerIT {

    private static final Duration FORMED = Duration.ofSeconds(60);
    private static final Duration ROUTED = Duration.ofSeconds(30);

    private final AdminClient adminHttp = new AdminClient(Duration.ofSeconds(5));

    @Test
    void aMessagePublishedOnOneNodeReachesASubscriberOnTheOther() throws Exception {
        int seed = ClusterNodeProcesses.freePort();
        int second = ClusterNodeProcesses.freePort();
        try (ServerProcess first = ClusterNodeProcesses.start(seed, seed);
                ServerProcess other = ClusterNodeProcesses.start(second, seed)) {
            String firstAddress = ClusterNodeProcesses.address(seed);
            String otherAddress = ClusterNodeProcesses.address(second);
            assertThat(first.await(Pattern.compile("Cluster node (\\S+) ")).group(1))
                    .isEqualTo(firstAddress);
            assertThat(first.linesWith("seed nodes [127.0.0.1:" + seed + "]")).hasSize(1);
            assertThat(first.linesWith("In memory: a cluster node")).hasSize(1);
            int firstAdmin = first.adminPort();
            int otherAdmin = other.adminPort();

            await().atMost(FORMED).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                for (int port : List.of(firstAdmin, otherAdmin)) {
                    JsonNode view = adminHttp.cluster(port);
                    assertThat(view.get("clustered").asBoolean()).isTrue();
                    assertThat(view.get("members")).hasSize(2);
                    assertThat(view.get("members").findValuesAsText("status")).containsOnly("Up");
                    assertThat(view.get("brokerActor").asText()).isEqualTo(firstAddress);
                }
            });
            JsonNode seen = adminHttp.cluster(otherAdmin);
            assertThat(seen.get("self").asText()).isEqualTo(otherAddress);
            assertThat(seen.get("unreachable")).isEmpty();
            assertThat(seen.get("members").findValuesAsText("address"))
                    .containsExactlyInAnyOrder(firstAddress, otherAddress); // members come sorted by address

            Mqtt5BlockingClient subscriber = connect("cluster-it-sub", other.port());
            Mqtt5BlockingClient publisher = connect("cluster-it-pub", first.port());
            try (Mqtt5BlockingClient.Mqtt5Publishes received = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
                subscriber
                        .subscribeWith()
                        .topicFilter("cluster/it/#")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .send();
                awaitRouted(publisher, received);

                publish(publisher, "cluster/it/data", "across nodes");

                assertThat(next(received, "cluster/it/data")).isEqualTo("across nodes");
            } finally {
                publisher.disconnect();
                subscriber.disconnect();
            }
        }
    }

    private static Mqtt5BlockingClient connect(String id, int port) {
        Mqtt5BlockingClient client = Mqtt5Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
        client.connectWith().keepAlive(30).send();
        return client;
    }

    private static void publish(Mqtt5BlockingClient client, String topic, String payload) {
        client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8))
                .send();
    }

    /**
     * Publishes probes until one arrives: the subscription reaches the publisher's node in its replica
     * of the routing snapshot a moment after the SUBACK.
     */
    private static void awaitRouted(Mqtt5BlockingClient publisher, Mqtt5BlockingClient.Mqtt5Publishes received)
            throws InterruptedException {
        long deadline = System.nanoTime() + ROUTED.toNanos();
        List<String> sent = new ArrayList<>();
        for (int i = 0; System.nanoTime() < deadline; i++) {
            publish(publisher, "cluster/it/probe", "probe " + i);
            sent.add("probe " + i);
            Optional<Mqtt5Publish> first = received.receive(200, TimeUnit.MILLISECONDS);
            if (first.isPresent()) {
                return;
            }
        }
        throw new AssertionError("none of " + sent.size() + " probes reached the subscriber within " + ROUTED);
    }

    /** The payload of the next message on the topic (later probes are passed over), within 10 s. */
    private static String next(Mqtt5BlockingClient.Mqtt5Publishes received, String topic) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Optional<Mqtt5Publish> message = received.receive(200, TimeUnit.MILLISECONDS);
            if (message.isPresent() && message.get().getTopic().toString().equals(topic)) {
                return new String(message.get().getPayloadAsBytes(), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("nothing on " + topic + " within 10 s");
    }
}

package dev.herald.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.typesafe.config.ConfigFactory;
import dev.herald.mqtt.broker.EmbeddedBroker;
import dev.herald.tap.TapMeters;
import dev.herald.tap.Taps;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Admin HTTP against a running broker with real MQTT clients: health while bindings bind, Prometheus
 * counters after real publishes, the clients and subscriptions views, and the answers to requests
 * it does not serve.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class AdminHttpIT {

    static final AdminSettings SETTINGS =
            AdminSettings.from(ConfigFactory.load()).withAddress("127.0.0.1", 0);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();
    private EmbeddedBroker broker;
    private int adminPort;

    /** A tap that holds its first message until the class ends, so its inbox of 4 fills and drops. */
    private final Taps taps = Taps.builder().inboxDepth(4).build();

    private final CountDownLatch tapEntered = new CountDownLatch(1);
    private final CountDownLatch tapReleased = new CountDownLatch(1);

    @BeforeAll
    void startBroker() {
        broker = EmbeddedBroker.builder()
                .publishListener(taps::attach)
                .binding(context -> new AdminHttpBinding(context, SETTINGS, List.of(new TapMeters(taps))))
                .start();
        taps.onMessage("admin/tap/{device}", (message, params) -> {
            tapEntered.countDown();
            tapReleased.await();
        });
        adminPort = broker.boundAddresses(AdminHttpBinding.NAME).get(0).getPort();
    }

    @AfterEach
    void disconnectClients() {
        clients.forEach(c -> {
            try {
                c.disconnect();
            } catch (RuntimeException e) {
                // already gone
            }
        });
        clients.clear();
    }

    @AfterAll
    void stopBroker() {
        tapReleased.countDown();
        broker.close();
    }

    HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(WAIT)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Mqtt5BlockingClient connect(String clientId) {
        Mqtt5BlockingClient client = Mqtt5Client.builder()
                .identifier(clientId)
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .buildBlocking();
        client.connect();
        clients.add(client);
        return client;
    }

    @Test
    void healthIsUpWithEveryBindingsAddresses() throws Exception {
        HttpResponse<String> health = get(adminPort, "/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = JSON.readTree(health.body());
        assertThat(body.get("status").asText()).isEqualTo("UP");
        assertThat(body.at("/bindings/mqtt/0").asText()).isEqualTo("127.0.0.1:" + broker.port());
        assertThat(body.at("/bindings/admin-http/0").asText()).isEqualTo("127.0.0.1:" + adminPort);
    }

    @Test
    void metricsCountRealPublishesBySessionsSubscriptionsAndRetained() throws Exception {
        Map<String, Double> before = Metrics.parse(get(adminPort, "/metrics").body());
        Mqtt5BlockingClient subscriber = connect("admin-metrics-sub");
        subscriber
                .subscribeWith()
                .topicFilter("admin/metrics/#")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
        subscriber
                .subscribeWith()
                .topicFilter("$share/metrics-group/admin/metrics/shared")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
        Mqtt5BlockingClient publisher = connect("admin-metrics-pub");
        publish(publisher, "admin/metrics/a", MqttQos.AT_MOST_ONCE, false, 2);
        publish(publisher, "admin/metrics/a", MqttQos.AT_LEAST_ONCE, false, 3);
        publish(publisher, "admin/metrics/a", MqttQos.EXACTLY_ONCE, false, 1);
        publish(publisher, "admin/metrics/retained", MqttQos.AT_LEAST_ONCE, true, 1);
        publish(publisher, "admin/metrics/shared", MqttQos.AT_LEAST_ONCE, false, 1);

        await().atMost(WAIT).untilAsserted(() -> {
            HttpResponse<String> response = get(adminPort, "/metrics");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).hasValue(AdminMetrics.CONTENT_TYPE);
            Map<String, Double> now = Metrics.parse(response.body());
            assertThat(Metrics.delta(before, now, "herald_messages_received_total{qos=\"0\"}"))
                    .isEqualTo(2);
            assertThat(Metrics.delta(before, now, "herald_messages_received_total{qos=\"1\"}"))
                    .isEqualTo(5);
            assertThat(Metrics.delta(before, now, "herald_messages_received_total{qos=\"2\"}"))
                    .isEqualTo(1);
            assertThat(Metrics.delta(before, now, "herald_retained_messages")).isEqualTo(1);
            assertThat(now.get("herald_sessions")).isGreaterThanOrEqualTo(2);
            assertThat(now.get("herald_connections")).isGreaterThanOrEqualTo(2);
            assertThat(now.get("herald_subscriptions")).isGreaterThanOrEqualTo(2);
            assertThat(now.get("herald_shared_group_members{filter=\"admin/metrics/shared\",group=\"metrics-group\"}"))
                    .isEqualTo(1);
            assertThat(
                            now.get(
                                    "herald_shared_group_delivered_total{filter=\"admin/metrics/shared\",group=\"metrics-group\"}"))
                    .isEqualTo(1);
            assertThat(now)
                    .containsKeys(
                            "herald_messages_sent_total{qos=\"1\"}",
                            "herald_messages_dropped_total{reason=\"queue_full\"}",
                            "herald_messages_dropped_total{reason=\"not_authorized\"}",
                            "herald_messages_dropped_total{reason=\"filtered\"}",
                            "herald_auth_failures_total",
                            "herald_protocol_errors_total",
                            "herald_queued_messages",
                            "herald_tap_inbox_capacity{route=\"admin/tap/{device}\",tap=\"1\"}",
                            "process_uptime_seconds",
                            "jvm_threads_live_threads");
            assertThat(now.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes{"));
        });
    }

    @Test
    void tapInboxDepthsAndDropsAreOnMetrics() throws Exception {
        Mqtt5BlockingClient publisher = connect("admin-tap-publisher");
        publish(publisher, "admin/tap/pump-7", MqttQos.AT_MOST_ONCE, false, 1);
        // The tap holds the first message before the rest come, so exactly four of them fit its inbox.
        assertThat(tapEntered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        publish(publisher, "admin/tap/pump-7", MqttQos.AT_MOST_ONCE, false, 19);
        String tap = "{route=\"admin/tap/{device}\",tap=\"1\"}";
        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, Double> now = Metrics.parse(get(adminPort, "/metrics").body());
            assertThat(now.get("herald_tap_inbox_capacity" + tap)).isEqualTo(4);
            assertThat(now.get("herald_tap_inbox_depth" + tap)).isEqualTo(4);
            assertThat(now.get("herald_tap_workers" + tap)).isEqualTo(1);
            // One in the handler, four waiting: the other fifteen were dropped and counted.
            assertThat(now.get("herald_tap_dropped_total" + tap)).isEqualTo(15);
            assertThat(now.get("herald_tap_delivered_total" + tap)).isZero();
        });
    }

    private static void publish(Mqtt5BlockingClient client, String topic, MqttQos qos, boolean retain, int times) {
        for (int i = 0; i < times; i++) {
            client.publishWith()
                    .topic(topic)
                    .qos(qos)
                    .retain(retain)
                    .payload(new byte[] {(byte) i})
                    .send();
        }
    }

    @Test
    void clientsAndSubscriptionsListARealClientsSubscriptions() throws Exception {
        Mqtt5BlockingClient lister = connect("admin-lister");
        lister.subscribeWith()
                .topicFilter("admin/list/a")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
        lister.subscribeWith()
                .topicFilter("admin/list/+/b")
                .qos(MqttQos.EXACTLY_ONCE)
                .send();

        HttpResponse<String> clientsResponse = get(adminPort, "/clients");
        assertThat(clientsResponse.statusCode()).isEqualTo(200);
        JsonNode listed = find(JSON.readTree(clientsResponse.body()), "admin-lister");
        assertThat(listed.get("connected").asBoolean()).isTrue();
        assertThat(listed.get("subscriptions"))
                .hasSize(2)
                .anySatisfy(s -> {
                    assertThat(s.get("filter").asText()).isEqualTo("admin/list/a");
                    assertThat(s.get("qos").asInt()).isEqualTo(1);
                })
                .anySatisfy(s -> {
                    assertThat(s.get("filter").asText()).isEqualTo("admin/list/+/b");
                    assertThat(s.get("qos").asInt()).isEqualTo(2);
                });

        HttpResponse<String> subscriptions = get(adminPort, "/subscriptions");
        assertThat(subscriptions.statusCode()).isEqualTo(200);
        List<String> flat = new ArrayList<>();
        JSON.readTree(subscriptions.body())
                .forEach(s -> flat.add(s.get("clientId").asText() + " "
                        + s.get("filter").asText() + " " + s.get("qos").asInt()));
        assertThat(flat).contains("admin-lister admin/list/a 1", "admin-lister admin/list/+/b 2");
    }

    private static JsonNode find(JsonNode clients, String clientId) {
        assertThat(clients.isArray()).isTrue();
        for (JsonNode client : clients) {
            if (client.get("clientId").asText().equals(clientId)) {
                return client;
            }
        }
        throw new AssertionError(clientId + " not in " + clients);
    }

    @Test
    void unknownPathsAre404AndOtherMethods405() throws Exception {
        assertThat(get(adminPort, "/nope").statusCode()).isEqualTo(404);
        assertThat(get(adminPort, "/health/extra").statusCode()).isEqualTo(404);
        assertThat(get(adminPort, "/health?verbose=1").statusCode()).isEqualTo(200);

        HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/health"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .timeout(WAIT)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).hasValue("GET");
        HttpResponse<String> delete = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/clients"))
                        .DELETE()
                        .timeout(WAIT)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(delete.statusCode()).isEqualTo(405);
    }

    @Test
    void malformedRequestsGet400AndTheConnectionClosesWhileMqttCarriesOn() throws Exception {
        assertThat(RawHttp.exchange(adminPort, "NOT HTTP AT ALL\r\n\r\n")).startsWith("HTTP/1.1 400");
        String longHeader =
                "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(SETTINGS.maxHeaderSize()) + "\r\n\r\n";
        assertThat(RawHttp.exchange(adminPort, longHeader)).startsWith("HTTP/1.1 400");
        assertThat(RawHttp.exchange(
                        adminPort,
                        "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: "
                                + (SETTINGS.maxBodySize() + 1) + "\r\n\r\n"))
                .startsWith("HTTP/1.1 413");

        Mqtt5BlockingClient subscriber = connect("admin-after-bad-http");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter("admin/after").send();
            connect("admin-after-bad-http-pub")
                    .publishWith()
                    .topic("admin/after")
                    .payload(new byte[] {7})
                    .send();
            Optional<Mqtt5Publish> received = publishes.receive(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(received).isPresent();
            assertThat(received.get().getPayloadAsBytes()).containsExactly(7);
        }
        assertThat(get(adminPort, "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        String answers = RawHttp.exchange(
                adminPort,
                "GET /clients HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(answers)
                .matches(
                        "(?s)HTTP/1\\.1 200 OK\r\n.*?\r\n\r\n\\[.*HTTP/1\\.1 200 OK\r\n.*?\r\n\r\n\\{\"status\":\"UP\".*");
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAndStopReleasesThePort() throws Exception {
        AdminHttpBinding limited = new AdminHttpBinding(broker.context(), SETTINGS.withMaxConnections(2), List.of());
        int port = limited.start()
                .toCompletableFuture()
                .get(WAIT.toSeconds(), TimeUnit.SECONDS)
                .get(0)
                .getPort();
        try {
            try (Socket first = new Socket(InetAddress.getLoopbackAddress(), port);
                    Socket second = new Socket(InetAddress.getLoopbackAddress(), port);
                    Socket third = new Socket(InetAddress.getLoopbackAddress(), port)) {
                third.setSoTimeout((int) WAIT.toMillis());
                assertThat(third.getInputStream().read())
                        .as("the third connection is closed")
                        .isEqualTo(-1);
                first.setSoTimeout((int) WAIT.toMillis());
                first.getOutputStream()
                        .write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.US_ASCII))
                                .readLine())
                        .isEqualTo("HTTP/1.1 200 OK");
            }
            await().atMost(WAIT)
                    .until(() -> RawHttp.exchange(port, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                            .startsWith("HTTP/1.1 200"));
        } finally {
            limited.stop(WAIT).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        assertThat(limited.boundAddresses()).isEmpty();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void healthIs503UntilEveryBindingIsBoundAndStopClosesThePort() throws Exception {
        GatedBinding gated = new GatedBinding();
        AtomicReference<AdminHttpBinding> adminBinding = new AtomicReference<>();
        CompletableFuture<EmbeddedBroker> starting = CompletableFuture.supplyAsync(() -> EmbeddedBroker.builder()
                .binding(context -> gated)
                .binding(context -> {
                    AdminHttpBinding binding = new AdminHttpBinding(context, SETTINGS, List.of());
                    adminBinding.set(binding);
                    return binding;
                })
                .start());
        boolean closed = false;
        try {
            await().atMost(WAIT)
                    .until(() -> adminBinding.get() != null
                            && !adminBinding.get().boundAddresses().isEmpty());
            int port = adminBinding.get().boundAddresses().get(0).getPort();

            HttpResponse<String> starting503 = get(port, "/health");
            assertThat(starting503.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(starting503.body()).get("status").asText()).isEqualTo("DOWN");

            gated.open();
            EmbeddedBroker second = starting.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            HttpResponse<String> up = get(port, "/health");
            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(up.body()).at("/bindings/gated/0").asText())
                    .isEqualTo("127.0.0.1:" + gated.boundAddresses().get(0).getPort());

            second.close();
            closed = true;
            assertThat(adminBinding.get().boundAddresses()).isEmpty();
            assertThatThrownBy(() -> get(port, "/health")).isInstanceOf(ConnectException.class);
        } finally {
            gated.open();
            if (!closed) {
                starting.thenAccept(EmbeddedBroker::close);
            }
        }
    }
}

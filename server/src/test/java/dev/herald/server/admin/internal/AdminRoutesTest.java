package dev.herald.server.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.broker.ClientView;
import dev.herald.mqtt.message.QoS;
import dev.herald.server.admin.AdminMetrics;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The answers of each admin path, without HTTP or a running broker. */
class AdminRoutesTest {

    private static final InetSocketAddress ADMIN = new InetSocketAddress("127.0.0.1", 8081);

    private final BrokerMetrics brokerMetrics = new BrokerMetrics();
    private final AdminMetrics metrics = new AdminMetrics(brokerMetrics, List.of());
    private boolean ready;
    private CompletableFuture<List<ClientView>> clients = new CompletableFuture<>();

    @AfterEach
    void closeMetrics() {
        metrics.close();
    }

    /** The routes over this test's readiness, bindings and client list. */
    private AdminRoutes routes(Supplier<Map<String, List<InetSocketAddress>>> bindings) {
        return new AdminRoutes(
                new AdminRoutes.BrokerView(() -> ready, bindings, timeout -> clients), metrics, Duration.ofSeconds(1));
    }

    private static Reply answer(AdminRoutes routes, String path) throws Exception {
        return routes.get(path).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static String body(Reply reply) {
        return new String(reply.body(), StandardCharsets.UTF_8);
    }

    @Test
    void healthIs503UntilReadyAndListsTheBindings() throws Exception {
        AdminRoutes routes = routes(() -> Map.of("admin-http", List.of(ADMIN)));

        Reply down = answer(routes, "/health");
        ready = true;
        Reply up = answer(routes, "/health");

        assertThat(down.status()).isEqualTo(503);
        assertThat(body(down)).isEqualTo("{\"status\":\"DOWN\",\"bindings\":{\"admin-http\":[\"127.0.0.1:8081\"]}}");
        assertThat(up.status()).isEqualTo(200);
        assertThat(up.contentType()).isEqualTo("application/json");
        assertThat(body(up)).startsWith("{\"status\":\"UP\"");
    }

    @Test
    void healthListsEveryBindingOnceKnown() throws Exception {
        ready = true;
        AdminRoutes routes = routes(() -> Map.of("mqtt", List.of(new InetSocketAddress("::1", 1883))));

        assertThat(body(answer(routes, "/health")))
                .isEqualTo("{\"status\":\"UP\",\"bindings\":{\"mqtt\":[\"[0:0:0:0:0:0:0:1]:1883\"]}}");
    }

    @Test
    void clientsAndSubscriptionsAnswerWhenTheBrokerDoes() throws Exception {
        AdminRoutes routes = routes(Map::of);
        var pendingClients = routes.get("/clients").toCompletableFuture();
        var pendingSubscriptions = routes.get("/subscriptions").toCompletableFuture();
        assertThat(pendingClients).isNotDone();

        clients.complete(List.of(
                new ClientView(
                        "a",
                        true,
                        List.of(
                                new ClientView.SubscriptionView("x/#", QoS.AT_LEAST_ONCE),
                                new ClientView.SubscriptionView("$share/g/y", QoS.AT_MOST_ONCE)),
                        null),
                new ClientView("b", false, List.of(), null)));

        Reply listed = pendingClients.get(5, TimeUnit.SECONDS);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(body(listed))
                .isEqualTo("[{\"clientId\":\"a\",\"connected\":true,\"subscriptions\":[{\"filter\":\"x/#\",\"qos\":1},"
                        + "{\"filter\":\"$share/g/y\",\"qos\":0}]},{\"clientId\":\"b\",\"connected\":false,"
                        + "\"subscriptions\":[]}]");
        assertThat(body(pendingSubscriptions.get(5, TimeUnit.SECONDS)))
                .isEqualTo("[{\"clientId\":\"a\",\"filter\":\"x/#\",\"qos\":1},"
                        + "{\"clientId\":\"a\",\"filter\":\"$share/g/y\",\"qos\":0}]");
    }

    @Test
    void aBrokerThatDoesNotAnswerGets503() throws Exception {
        AdminRoutes routes = routes(Map::of);
        clients.completeExceptionally(new TimeoutException("ask timed out"));

        Reply reply = answer(routes, "/clients");

        assertThat(reply.status()).isEqualTo(503);
        assertThat(body(reply)).contains("ask timed out");
    }

    @Test
    void metricsAreTextAndOtherPathsAre404() throws Exception {
        AdminRoutes routes = routes(Map::of);

        Reply scraped = answer(routes, "/metrics");
        Reply missing = answer(routes, "/metrics/extra");

        assertThat(scraped.status()).isEqualTo(200);
        assertThat(scraped.contentType()).isEqualTo(AdminMetrics.CONTENT_TYPE);
        assertThat(body(scraped)).contains("herald_sessions 0.0");
        assertThat(missing.status()).isEqualTo(404);
    }

    @Test
    void clusterSaysNotClusteredOnABrokerThatIsNotAndShowsANodesViewOnOneThatIs() throws Exception {
        ClusterStatus.Clustered view = new ClusterStatus.Clustered(
                true,
                "pekko://herald@127.0.0.1:2552",
                "Up",
                "pekko://herald@127.0.0.1:2551",
                "pekko://herald@127.0.0.1:2551",
                List.of(
                        new ClusterStatus.ClusterMember(
                                "pekko://herald@127.0.0.1:2551", "Up", List.of("dc-default"), true, true),
                        new ClusterStatus.ClusterMember(
                                "pekko://herald@127.0.0.1:2552", "Up", List.of("dc-default"), true, false)),
                List.of());
        AdminRoutes node = new AdminRoutes(
                new AdminRoutes.BrokerView(() -> true, Map::of, timeout -> clients, () -> view),
                metrics,
                Duration.ofSeconds(1));

        Reply single = answer(routes(Map::of), "/cluster");
        Reply clustered = answer(node, "/cluster");

        assertThat(single.status()).isEqualTo(200);
        assertThat(single.contentType()).isEqualTo("application/json");
        assertThat(body(single)).isEqualTo("{\"clustered\":false}");
        assertThat(clustered.status()).isEqualTo(200);
        assertThat(body(clustered))
                .isEqualTo("{\"clustered\":true,\"self\":\"pekko://herald@127.0.0.1:2552\",\"selfStatus\":\"Up\","
                        + "\"leader\":\"pekko://herald@127.0.0.1:2551\",\"brokerActor\":\"pekko://herald@127.0.0.1:2551\","
                        + "\"members\":[{\"address\":\"pekko://herald@127.0.0.1:2551\",\"status\":\"Up\","
                        + "\"roles\":[\"dc-default\"],\"reachable\":true,\"brokerActor\":true},"
                        + "{\"address\":\"pekko://herald@127.0.0.1:2552\",\"status\":\"Up\",\"roles\":[\"dc-default\"],"
                        + "\"reachable\":true,\"brokerActor\":false}],\"unreachable\":[]}");
    }
}

package dev.herald.server.admin.internal;

import dev.herald.mqtt.broker.BrokerContext;
import dev.herald.mqtt.broker.ClientView;
import dev.herald.server.admin.AdminMetrics;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each admin path answers, apart from HTTP: {@code /health}, {@code /metrics}, {@code
 * /clients}, {@code /subscriptions}, {@code /cluster}, and 404 for anything else. Answers that need the broker's
 * actors complete when their ask does; nothing here waits.
 */
public final class AdminRoutes {

    private static final Logger log = LoggerFactory.getLogger(AdminRoutes.class);

    /**
     * What the routes read of the broker: readiness, every binding's addresses, its sessions, and the
     * body of {@code /cluster} (its node's view of the cluster).
     */
    public record BrokerView(
            BooleanSupplier ready,
            Supplier<Map<String, List<InetSocketAddress>>> bindings,
            Function<Duration, CompletionStage<List<ClientView>>> clients,
            Supplier<Object> cluster) {

        /** A broker that is not a cluster node. */
        public BrokerView(
                BooleanSupplier ready,
                Supplier<Map<String, List<InetSocketAddress>>> bindings,
                Function<Duration, CompletionStage<List<ClientView>>> clients) {
            this(ready, bindings, clients, () -> new ClusterStatus.NotClustered(false));
        }

        public static BrokerView of(BrokerContext broker) {
            return new BrokerView(
                    broker::ready, broker::boundAddresses, broker::clients, ClusterStatus.of(broker.system()));
        }
    }

    private final BrokerView broker;
    private final AdminMetrics metrics;
    private final Duration askTimeout;

    public AdminRoutes(BrokerView broker, AdminMetrics metrics, Duration askTimeout) {
        this.broker = broker;
        this.metrics = metrics;
        this.askTimeout = askTimeout;
    }

    /** The answer to {@code GET path} (the path without its query). */
    public CompletionStage<Reply> get(String path) {
        return switch (path) {
            case "/health" -> CompletableFuture.completedFuture(health());
            case "/metrics" ->
                CompletableFuture.completedFuture(
                        Reply.text(200, metrics.scrape()).withContentType(AdminMetrics.CONTENT_TYPE));
            case "/clients" -> fromClients(AdminJson::clients);
            case "/subscriptions" -> fromClients(AdminJson::subscriptions);
            case "/cluster" ->
                CompletableFuture.completedFuture(
                        AdminJson.reply(200, broker.cluster().get()));
            default ->
                CompletableFuture.completedFuture(
                        AdminJson.reply(404, new AdminJson.Error("no such resource: " + path)));
        };
    }

    private Reply health() {
        boolean up = broker.ready().getAsBoolean();
        return AdminJson.reply(
                up ? 200 : 503, AdminJson.health(up, broker.bindings().get()));
    }

    private CompletionStage<Reply> fromClients(Function<List<ClientView>, Object> body) {
        return broker.clients()
                .apply(askTimeout)
                .thenApply(clients -> AdminJson.reply(200, body.apply(clients)))
                .exceptionally(e -> {
                    log.warn("Admin HTTP: the broker did not list its clients: {}", e.toString());
                    return AdminJson.reply(
                            503, new AdminJson.Error("the broker did not list its clients: " + e.getMessage()));
                });
    }
}

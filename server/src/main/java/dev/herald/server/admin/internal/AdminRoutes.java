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
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each admin path answers, apart from HTTP: {@code /health}, {@code /metrics}, {@code
 * /clients}, {@code /subscriptions}, and 404 for anything else. Answers that need the broker's
 * actors complete when their ask does; nothing here waits.
 */
public final class AdminRoutes {

    private static final Logger log = LoggerFactory.getLogger(AdminRoutes.class);

    private final BrokerContext broker;
    private final AdminMetrics metrics;
    private final Supplier<Map<String, List<InetSocketAddress>>> bindings;
    private final Duration askTimeout;

    /**
     * @param bindings every binding's addresses by name; when it gives none yet, the health report
     *     has only {@code self}'s
     * @param self this binding's name and addresses, for that case
     */
    public AdminRoutes(
            BrokerContext broker,
            AdminMetrics metrics,
            Supplier<Map<String, List<InetSocketAddress>>> bindings,
            Supplier<Map<String, List<InetSocketAddress>>> self,
            Duration askTimeout) {
        this.broker = broker;
        this.metrics = metrics;
        this.bindings = () -> {
            Map<String, List<InetSocketAddress>> all = bindings.get();
            return all == null || all.isEmpty() ? self.get() : all;
        };
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
            default ->
                CompletableFuture.completedFuture(
                        AdminJson.reply(404, new AdminJson.Error("no such resource: " + path)));
        };
    }

    private Reply health() {
        boolean up = broker.ready();
        return AdminJson.reply(up ? 200 : 503, AdminJson.health(up, bindings.get()));
    }

    private CompletionStage<Reply> fromClients(Function<List<ClientView>, Object> body) {
        return broker.clients(askTimeout)
                .thenApply(clients -> AdminJson.reply(200, body.apply(clients)))
                .exceptionally(e -> {
                    log.warn("Admin HTTP: the broker did not list its clients: {}", e.toString());
                    return AdminJson.reply(
                            503, new AdminJson.Error("the broker did not list its clients: " + e.getMessage()));
                });
    }
}

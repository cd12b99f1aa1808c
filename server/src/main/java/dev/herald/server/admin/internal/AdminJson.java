package dev.herald.server.admin.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.mqtt.broker.ClientView;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON bodies of the admin endpoints, as records Jackson writes. */
public final class AdminJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AdminJson() {}

    /** {@code GET /health}: {@code UP} or {@code DOWN}, and each binding's addresses as host:port. */
    public record Health(String status, Map<String, List<String>> bindings) {}

    /** One element of {@code GET /clients}. */
    public record Client(String clientId, boolean connected, List<Subscription> subscriptions) {}

    public record Subscription(String filter, int qos) {}

    /** One element of {@code GET /subscriptions}. */
    public record ClientSubscription(String clientId, String filter, int qos) {}

    public record Error(String error) {}

    static Health health(boolean up, Map<String, List<InetSocketAddress>> bound) {
        Map<String, List<String>> bindings = new LinkedHashMap<>();
        bound.forEach((name, addresses) ->
                bindings.put(name, addresses.stream().map(AdminJson::hostPort).toList()));
        return new Health(up ? "UP" : "DOWN", bindings);
    }

    static List<Client> clients(List<ClientView> views) {
        return views.stream()
                .map(c -> new Client(
                        c.clientId(),
                        c.connected(),
                        c.subscriptions().stream()
                                .map(s -> new Subscription(s.filter(), s.qos().value()))
                                .toList()))
                .toList();
    }

    static List<ClientSubscription> subscriptions(List<ClientView> views) {
        List<ClientSubscription> flat = new ArrayList<>();
        for (ClientView c : views) {
            c.subscriptions()
                    .forEach(s -> flat.add(new ClientSubscription(
                            c.clientId(), s.filter(), s.qos().value())));
        }
        return flat;
    }

    static Reply reply(int status, Object body) {
        try {
            return new Reply(status, Reply.JSON, MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** {@code 127.0.0.1:1883}, {@code [::1]:1883}. */
    static String hostPort(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}

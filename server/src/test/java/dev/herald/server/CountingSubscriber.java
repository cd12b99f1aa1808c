package dev.herald.server;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** A persistent subscriber to kill/#: counts each data message it receives and the probes per publisher. */
final class CountingSubscriber {
    private final String name;
    private final boolean survives;
    private final Mqtt5AsyncClient client;
    private final Map<String, Integer> received = new ConcurrentHashMap<>();
    private final Set<String> probes = ConcurrentHashMap.newKeySet();

    CountingSubscriber(String name, boolean survives, Mqtt5AsyncClient client) {
        this.name = name;
        this.survives = survives;
        this.client = client;
        client.publishes(MqttGlobalPublishFilter.ALL, p -> {
            String payload = new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
            if (payload.startsWith("probe:")) {
                probes.add(payload.substring("probe:".length()));
            } else {
                received.merge(payload, 1, Integer::sum);
            }
        });
    }

    String name() {
        return name;
    }

    /** Whether its session lives on a node that is not stopped. */
    boolean survives() {
        return survives;
    }

    /** Whether a probe of the publisher with this name has arrived. */
    boolean hasProbeFrom(String publisher) {
        return probes.contains(publisher);
    }

    void subscribe() throws Exception {
        ReconnectingClients.connect(client, ReconnectingClients.SESSION_EXPIRY);
        client.subscribeWith()
                .topicFilter("kill/#")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send()
                .get(ClusterKillIT.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    List<String> lost(Set<String> acked) {
        return acked.stream().filter(m -> !received.containsKey(m)).sorted().toList();
    }

    String figures(Set<String> acked) {
        List<String> lost = lost(acked);
        long duplicates = received.values().stream().mapToLong(n -> n - 1).sum();
        long unacked =
                received.keySet().stream().filter(m -> !acked.contains(m)).count();
        return "session on " + (survives ? "a survivor" : "the stopped node") + ", acknowledged " + acked.size()
                + ", delivered " + received.size() + " (of them not acknowledged " + unacked + "), lost "
                + lost.size() + (lost.isEmpty() ? "" : " e.g. " + lost.subList(0, Math.min(10, lost.size())))
                + ", duplicates " + duplicates;
    }
}

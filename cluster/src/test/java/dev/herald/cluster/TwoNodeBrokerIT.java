package dev.herald.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.herald.cluster.testkit.ClusteredBrokers;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two clustered nodes: each one's subscribers get what is published on the other, QoS 0 to 2, with
 * every message serialized ({@code serialize-messages = on}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class TwoNodeBrokerIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final ClusteredBrokers cluster = new ClusteredBrokers(2, "pekko.actor.serialize-messages = on");

    @Test
    void eachNodesSubscribersGetWhatIsPublishedOnTheOther() {
        Set<String> onZero = ConcurrentHashMap.newKeySet();
        Set<String> onOne = ConcurrentHashMap.newKeySet();
        Set<String> probedZero = ConcurrentHashMap.newKeySet();
        Set<String> probedOne = ConcurrentHashMap.newKeySet();
        Mqtt5BlockingClient zero = client("two-0", 0, onZero, probedZero);
        Mqtt5BlockingClient one = client("two-1", 1, onOne, probedOne);
        zero.subscribeWith().topicFilter("to/zero").qos(MqttQos.EXACTLY_ONCE).send();
        one.subscribeWith().topicFilter("to/one").qos(MqttQos.EXACTLY_ONCE).send();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            publish(one, "to/zero", "probe", MqttQos.AT_MOST_ONCE);
            publish(zero, "to/one", "probe", MqttQos.AT_MOST_ONCE);
            return !probedZero.isEmpty() && !probedOne.isEmpty();
        });

        for (MqttQos qos : List.of(MqttQos.AT_MOST_ONCE, MqttQos.AT_LEAST_ONCE, MqttQos.EXACTLY_ONCE)) {
            publish(one, "to/zero", "q" + qos.getCode(), qos);
            publish(zero, "to/one", "q" + qos.getCode(), qos);
        }

        await().atMost(WAIT).until(() -> onZero.size() == 3 && onOne.size() == 3);
        assertThat(onZero).containsExactlyInAnyOrder("q0", "q1", "q2");
        assertThat(onOne).containsExactlyInAnyOrder("q0", "q1", "q2");
        zero.disconnect();
        one.disconnect();
    }

    /** A connected client; what it receives goes to {@code received}, probes to {@code probes}. */
    private Mqtt5BlockingClient client(String id, int node, Set<String> received, Set<String> probes) {
        Mqtt5BlockingClient c = NodeClients.client(
                cluster, id, node, payload -> (payload.equals("probe") ? probes : received).add(payload));
        c.connect();
        return c;
    }

    private static void publish(Mqtt5BlockingClient c, String topic, String payload, MqttQos qos) {
        NodeClients.publish(c, topic, payload, qos, false);
    }
}

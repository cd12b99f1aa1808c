package dev.herald.mqtt.broker;

import static dev.herald.mqtt.broker.TestClients.collect;
import static dev.herald.mqtt.broker.TestClients.connectV5;
import static dev.herald.mqtt.broker.TestClients.publish;
import static dev.herald.mqtt.broker.TestClients.subscribe;
import static dev.herald.mqtt.broker.TestClients.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.herald.mqtt.testkit.HeraldBrokerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sticky strategy of shared subscriptions: one publisher's messages stay with one member. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class StickySharedSubscriptionIT {

    @RegisterExtension
    static final HeraldBrokerExtension broker =
            new HeraldBrokerExtension("herald.mqtt.shared-subscriptions.strategy = sticky");

    @Test
    void eachPublisherKeepsToOneMember() {
        List<Mqtt5BlockingClient> members = new ArrayList<>();
        List<Queue<Mqtt5Publish>> received = new ArrayList<>();
        List<Mqtt5BlockingClient> publishers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Mqtt5BlockingClient member = TestClients.v5(broker.port(), "sticky-member-" + i);
                received.add(collect(member));
                member.connect();
                subscribe(member, "$share/sticky/readings/#", MqttQos.AT_LEAST_ONCE);
                members.add(member);
            }
            for (int p = 0; p < 4; p++) {
                Mqtt5BlockingClient publisher = connectV5(broker.port(), "sticky-publisher-" + p);
                publishers.add(publisher);
                for (int i = 0; i < 25; i++) {
                    publish(publisher, "readings/" + i, MqttQos.AT_LEAST_ONCE, p + ":" + i);
                }
            }
            await().until(() -> received.stream().mapToInt(Queue::size).sum() == 100);
            for (int p = 0; p < 4; p++) {
                String prefix = p + ":";
                long membersReached = received.stream()
                        .filter(q -> q.stream()
                                .anyMatch(m -> text(m.getPayloadAsBytes()).startsWith(prefix)))
                        .count();
                assertThat(membersReached)
                        .as("members that got publisher %d's messages", p)
                        .isEqualTo(1);
            }
            Set<String> all = received.stream()
                    .flatMap(Queue::stream)
                    .map(m -> text(m.getPayloadAsBytes()))
                    .collect(Collectors.toSet());
            assertThat(all).hasSize(100);
        } finally {
            members.forEach(TestClients::disconnectQuietly);
            publishers.forEach(TestClients::disconnectQuietly);
        }
    }
}

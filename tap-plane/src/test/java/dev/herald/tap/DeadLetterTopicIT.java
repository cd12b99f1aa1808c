package dev.herald.tap;

import static dev.herald.tap.TapClients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.herald.mqtt.broker.EmbeddedBroker;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Dead letters are also published into the broker, to a topic any client can subscribe to. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class DeadLetterTopicIT {

    private Taps taps;
    private EmbeddedBroker broker;

    @BeforeAll
    void start() {
        taps = Taps.builder()
                .retry(RetryPolicy.none())
                .deadLetterTopic("herald/taps/dead")
                .build();
        broker = EmbeddedBroker.builder().publishListener(taps::attach).start();
    }

    @AfterAll
    void stop() {
        broker.close();
    }

    @Test
    void aDeadLetterIsPublishedWithWhyAndWhere() {
        AtomicInteger everything = new AtomicInteger();
        Tap all = taps.onMessage("#", (msg, params) -> everything.incrementAndGet());
        Tap failing = taps.onMessage("billing/{account}", (msg, params) -> {
            throw new IllegalStateException("ledger closed");
        });
        Mqtt5BlockingClient watcher = TapClients.connect(broker, "dead-watcher");
        Mqtt5BlockingClient publisher = TapClients.connect(broker, "billing-pub");
        try {
            Queue<Mqtt5Publish> dead = TapClients.subscribe(watcher, "herald/taps/dead");
            for (int i = 0; i < 3; i++) {
                TapClients.publish(publisher, "billing/acc-" + i, "invoice " + i);
            }

            await().atMost(WAIT).until(() -> dead.size() == 3);
            Mqtt5Publish first = dead.peek();
            assertThat(new String(first.getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("invoice 0");
            Map<String, String> props = first.getUserProperties().asList().stream()
                    .collect(Collectors.toMap(
                            p -> p.getName().toString(), p -> p.getValue().toString()));
            assertThat(props)
                    .containsEntry("herald-tap-route", "billing/{account}")
                    .containsEntry("herald-tap-topic", "billing/acc-0")
                    .containsEntry("herald-tap-publisher", "billing-pub")
                    .containsEntry("herald-tap-attempts", "1");
            assertThat(props.get("herald-tap-reason")).contains("ledger closed");
            // the taps do not see their own dead letters (a failing '#' tap would loop)
            await().atMost(WAIT).until(() -> all.stats().delivered() == 3);
            assertThat(everything.get()).isEqualTo(3);
        } finally {
            TapClients.disconnectQuietly(watcher);
            TapClients.disconnectQuietly(publisher);
            all.close();
            failing.close();
        }
    }

    @Test
    void aDeadLetterTopicMustBeATopicName() {
        assertThatThrownBy(() -> Taps.builder().deadLetterTopic("dead/#").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wildcard");
    }
}

package dev.herald.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import dev.herald.mqtt.broker.EmbeddedBroker;
import dev.herald.tap.DeadLetter;
import dev.herald.tap.RetryPolicy;
import dev.herald.tap.TapOptions;
import dev.herald.tap.TapStats;
import dev.herald.tap.Taps;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The tap samples of docs/extending-herald.md, run against a real broker and a real client. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class TapsGuideIT {

    /** Where the samples put what they see: latest reading per device, and orders stored. */
    final Map<String, String> readings = new ConcurrentHashMap<>();

    final Map<String, String> orders = new ConcurrentHashMap<>();
    final AtomicBoolean storeDown = new AtomicBoolean(true);

    /** A store whose writes complete later, failing while it is down. */
    CompletableFuture<Void> store(String id, String order) {
        return CompletableFuture.runAsync(
                () -> {
                    if (storeDown.get()) {
                        throw new IllegalStateException("order store unavailable");
                    }
                    orders.put(id, order);
                },
                CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS));
    }

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void tapsSeeWhatIsPublishedAndFailedMessagesCanBeReplayed() throws Exception {
        // sample: taps
        Taps taps = Taps.create();
        EmbeddedBroker broker =
                EmbeddedBroker.builder().publishListener(taps::attach).start();

        // One message at a time, in publish order; {device_id} is a whole topic level.
        taps.onMessage("sensors/{device_id}/temperature", (message, params) -> {
            readings.put(params.get("device_id"), message.payloadUtf8());
        });

        // Eight workers, unordered; the handler answers with a stage, a failed one is tried again.
        taps.onMessageAsync(
                "orders/{id}",
                TapOptions.shared(8).retry(RetryPolicy.of(3, Duration.ofMillis(20))),
                (message, params) -> store(params.get("id"), message.payloadUtf8()));
        // end sample
        Mqtt5BlockingClient client = Mqtt5Client.builder()
                .identifier("guide-publisher")
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .buildBlocking();
        client.connect();
        try {
            publish(client, "sensors/pump-7/temperature", "21.5");
            publish(client, "orders/1001", "2 valves");
            await().atMost(WAIT).until(() -> "21.5".equals(readings.get("pump-7")));
            await().atMost(WAIT).until(() -> taps.stats().get(1).deadLettered() == 1);

            // sample: dead-letters
            // The store was down through every try: the order is a dead letter, kept with its reason.
            List<DeadLetter> letters = taps.deadLetters().toCompletableFuture().get(5, TimeUnit.SECONDS);
            // ... once the store is back, they are tried again.
            storeDown.set(false);
            int replayed = taps.replayAll().toCompletableFuture().get(5, TimeUnit.SECONDS);
            // end sample

            assertThat(letters).singleElement().satisfies(letter -> {
                assertThat(letter.route()).isEqualTo("orders/{id}");
                assertThat(letter.reason()).contains("order store unavailable");
                assertThat(letter.attempts()).isEqualTo(3);
                assertThat(letter.message().param("id")).isEqualTo("1001");
            });
            assertThat(replayed).isEqualTo(1);
            await().atMost(WAIT).until(() -> "2 valves".equals(orders.get("1001")));
            // Counted once the handler's stage has completed and its worker heard of it.
            await().atMost(WAIT).until(() -> taps.stats().get(1).delivered() == 1);
            TapStats orderTap = taps.stats().get(1);
            assertThat(orderTap.retries()).isEqualTo(2);
            assertThat(orderTap.delivered()).isEqualTo(1);
        } finally {
            client.disconnect();
            broker.close();
        }
    }

    private static void publish(Mqtt5BlockingClient client, String topic, String payload) {
        client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8))
                .send();
    }
}

package dev.herald.tap;

import static dev.herald.tap.TapClients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.herald.mqtt.broker.EmbeddedBroker;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.property.UserProperty;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Taps on a real broker, fed by real MQTT clients: parameters, order, async and Behavior handlers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class TapRoutingIT {

    private Taps taps;
    private EmbeddedBroker broker;
    private Mqtt5BlockingClient publisher;

    @BeforeAll
    void start() {
        taps = Taps.create();
        broker = EmbeddedBroker.builder().publishListener(taps::attach).start();
        publisher = TapClients.connect(broker, "routing-pub");
    }

    @AfterAll
    void stop() {
        TapClients.disconnectQuietly(publisher);
        broker.close();
    }

    @Test
    void aTapSeesTheMessageWithItsRouteParameters() {
        Queue<TapMessage> seen = new ConcurrentLinkedQueue<>();
        Queue<Map<String, String>> params = new ConcurrentLinkedQueue<>();
        Tap tap = taps.onMessage("sensors/{device_id}/data/{kind}", (msg, p) -> {
            seen.add(msg);
            params.add(p.asMap());
        });

        publisher
                .publishWith()
                .topic("sensors/t-1000/data/temp")
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(true)
                .contentType("text/plain")
                .userProperties()
                .add("unit", "celsius")
                .applyUserProperties()
                .payload("21.5".getBytes(StandardCharsets.UTF_8))
                .send();
        TapClients.publishAcked(publisher, "sensors/t-1000/status", "not for this tap");

        await().atMost(WAIT).until(() -> seen.size() == 1);
        TapMessage msg = seen.peek();
        assertThat(params.peek()).containsExactly(Map.entry("device_id", "t-1000"), Map.entry("kind", "temp"));
        assertThat(msg.param("device_id")).isEqualTo("t-1000");
        assertThat(msg.topic()).isEqualTo("sensors/t-1000/data/temp");
        assertThat(msg.payloadUtf8()).isEqualTo("21.5");
        assertThat(msg.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
        assertThat(msg.retain()).isTrue();
        assertThat(msg.publisherId()).isEqualTo("routing-pub");
        assertThat(msg.contentType()).isEqualTo("text/plain");
        assertThat(msg.userProperties()).containsExactly(new UserProperty("unit", "celsius"));
        await().atMost(WAIT).until(() -> tap.stats().delivered() == 1);
        tap.close();
    }

    @Test
    void anOrderedTapHandlesMessagesOneAtATimeInPublishOrder() {
        int count = 2000;
        Queue<Integer> seen = new ConcurrentLinkedQueue<>();
        Tap tap = taps.onMessage(
                "ordered/{n}",
                TapOptions.ordered().inboxDepth(count),
                (msg, p) -> seen.add(Integer.parseInt(p.get("n"))));

        for (int i = 0; i < count; i++) {
            TapClients.publish(publisher, "ordered/" + i, "x");
        }

        await().atMost(WAIT).until(() -> seen.size() == count);
        assertThat(seen)
                .containsExactlyElementsOf(IntStream.range(0, count).boxed().toList());
        // Counted once the handler has returned.
        await().atMost(WAIT).until(() -> tap.stats().delivered() == count);
        TapStats stats = tap.stats();
        assertThat(stats.mode()).isEqualTo("ordered");
        assertThat(stats.workers()).isEqualTo(1);
        assertThat(stats.delivered()).isEqualTo(count);
        assertThat(stats.dropped()).isZero();
        tap.close();
    }

    @Test
    void anAsyncHandlerFinishesAMessageWhenItsStageCompletes() {
        Queue<String> done = new ConcurrentLinkedQueue<>();
        Tap tap = taps.onMessageAsync("async/{id}", (msg, p) -> CompletableFuture.supplyAsync(() -> p.get("id"))
                .thenAccept(done::add));

        for (int i = 0; i < 50; i++) {
            TapClients.publish(publisher, "async/" + i, "x");
        }

        await().atMost(WAIT).until(() -> done.size() == 50);
        // ordered: the next message starts only once the previous stage completed
        assertThat(done)
                .containsExactlyElementsOf(
                        IntStream.range(0, 50).mapToObj(String::valueOf).toList());
        await().atMost(WAIT).until(() -> tap.stats().delivered() == 50);
        tap.close();
    }

    @Test
    void aTypedBehaviorHandlesTapRequestsAndReplies() {
        Queue<String> archived = new ConcurrentLinkedQueue<>();
        Behavior<TapRequest> archive = Behaviors.receive(TapRequest.class)
                .onMessage(TapRequest.class, request -> {
                    archived.add(request.message().param("room") + "="
                            + request.message().payloadUtf8());
                    if (request.message().payloadUtf8().equals("bad")) {
                        request.failed("bad reading");
                    } else {
                        request.done();
                    }
                    return Behaviors.same();
                })
                .build();
        Tap tap = taps.onMessage("rooms/{room}/temp", TapOptions.ordered().retry(RetryPolicy.none()), archive);

        TapClients.publish(publisher, "rooms/kitchen/temp", "20");
        TapClients.publish(publisher, "rooms/hall/temp", "bad");
        TapClients.publish(publisher, "rooms/attic/temp", "31");

        await().atMost(WAIT)
                .until(() -> tap.stats().delivered() == 2 && tap.stats().deadLettered() == 1);
        assertThat(archived).containsExactly("kitchen=20", "hall=bad", "attic=31");
        assertThat(tap.stats().failures()).isEqualTo(1);
        tap.close();
    }

    @Test
    void statsListEveryTapAndClosedTapsSeeNothing() {
        Tap a = taps.onMessage("stats/a", (msg, p) -> {});
        Tap b = taps.onMessage("stats/#", TapOptions.shared(3), (msg, p) -> {});
        TapClients.publishAcked(publisher, "stats/a", "1");
        await().atMost(WAIT).until(() -> a.stats().delivered() == 1 && b.stats().delivered() == 1);

        List<TapStats> stats = taps.stats();
        assertThat(stats).extracting(TapStats::route).contains("stats/a", "stats/#");
        assertThat(b.stats().mode()).isEqualTo("shared");
        assertThat(b.stats().workers()).isEqualTo(3);
        assertThat(b.stats().inboxCapacity()).isEqualTo(256);

        a.close();
        TapClients.publishAcked(publisher, "stats/a", "2");
        await().atMost(WAIT).until(() -> b.stats().delivered() == 2);
        assertThat(a.stats().delivered()).isEqualTo(1);
        assertThat(taps.stats()).extracting(TapStats::route).doesNotContain("stats/a");
        b.close();
    }
}

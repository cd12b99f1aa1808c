package dev.herald.mqtt.broker;

import static dev.herald.mqtt.broker.TestClients.WAIT;
import static dev.herald.mqtt.broker.TestClients.awaitCount;
import static dev.herald.mqtt.broker.TestClients.bytes;
import static dev.herald.mqtt.broker.TestClients.collect;
import static dev.herald.mqtt.broker.TestClients.disconnectQuietly;
import static dev.herald.mqtt.broker.TestClients.subscribe;
import static dev.herald.mqtt.broker.TestClients.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.herald.mqtt.codec.MqttEncoder;
import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.reason.DisconnectReasonCode;
import dev.herald.mqtt.testkit.HeraldBrokerExtension;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code herald.mqtt.max-publish-rate}: an MQTT 5 client over it is disconnected with 0x96 Message
 * rate too high (MQTT 5.0 section 3.14.2.1) and the drop is counted, while other clients carry on;
 * a 3.1.1 client, which has no such code, is slowed down and loses nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class RateLimitIT {

    private static final int RATE = 20;

    @RegisterExtension
    static final HeraldBrokerExtension broker = new HeraldBrokerExtension("herald.mqtt.max-publish-rate = " + RATE);

    @Test
    void aV5ClientOverTheRateGetsDisconnect0x96AndOthersCarryOn() throws Exception {
        Queue<MqttClientDisconnectedContext> disconnects = new ConcurrentLinkedQueue<>();
        Mqtt5BlockingClient healthy = Mqtt5Client.builder()
                .identifier("rate-healthy")
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .addDisconnectedListener(disconnects::add)
                .buildBlocking();
        try (RawMqttClient flooder = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            Queue<Mqtt5Publish> received = collect(healthy);
            healthy.connect();
            subscribe(healthy, "rate/healthy", MqttQos.AT_LEAST_ONCE);
            flooder.connect("rate-flooder", true, 0, null);
            long droppedBefore = broker.broker().metrics().droppedRateLimited();

            int healthyCount = RATE / 2;
            Mqtt5AsyncClient async = healthy.toAsync();
            CompletableFuture<?>[] sent = new CompletableFuture<?>[healthyCount];
            for (int i = 0; i < healthyCount; i++) {
                sent[i] = async.publishWith()
                        .topic("rate/healthy")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(bytes("h" + i))
                        .send();
            }
            ByteString flood = ByteString.emptyByteString();
            for (int i = 0; i < 5 * RATE; i++) {
                flood = flood.concat(MqttEncoder.encode(
                        Publish.atMostOnce("rate/flood", RawMqttClient.utf8("f" + i)), MqttVersion.V5));
            }
            flooder.sendRaw(flood.toArray()); // 100 PUBLISHes in one write

            assertThat(flooder.readUntilClosed(WAIT))
                    .containsExactly(new Disconnect(DisconnectReasonCode.MESSAGE_RATE_TOO_HIGH));
            assertThat(broker.broker().metrics().droppedRateLimited()).isGreaterThan(droppedBefore);

            CompletableFuture.allOf(sent).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            awaitCount(received, healthyCount);
            assertThat(received)
                    .extracting(p -> text(p.getPayloadAsBytes()))
                    .containsExactlyElementsOf(IntStream.range(0, healthyCount)
                            .mapToObj(i -> "h" + i)
                            .toList());
            assertThat(disconnects).isEmpty();
            assertThat(healthy.getState().isConnected()).isTrue();
        } finally {
            disconnectQuietly(healthy);
        }
    }

    @Test
    void aV311ClientOverTheRateIsSlowedDownAndLosesNothing() throws Exception {
        int count = 3 * RATE; // a burst of RATE, then 2 * RATE at RATE a second: about 2 s
        Queue<MqttClientDisconnectedContext> disconnects = new ConcurrentLinkedQueue<>();
        Mqtt3BlockingClient pub = Mqtt3Client.builder()
                .identifier("rate-v3-pub")
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .addDisconnectedListener(disconnects::add)
                .buildBlocking();
        Mqtt5BlockingClient sub = TestClients.v5(broker.port(), "rate-v3-sub");
        try {
            Queue<String> received = new ConcurrentLinkedQueue<>();
            Queue<Long> arrivals = new ConcurrentLinkedQueue<>();
            sub.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> {
                arrivals.add(System.nanoTime());
                received.add(text(p.getPayloadAsBytes()));
            });
            sub.connect();
            subscribe(sub, "rate/v3", MqttQos.AT_LEAST_ONCE);
            pub.connect();

            Mqtt3AsyncClient async = pub.toAsync();
            long start = System.nanoTime();
            CompletableFuture<?>[] sent = new CompletableFuture<?>[count];
            for (int i = 0; i < count; i++) {
                sent[i] = async.publishWith()
                        .topic("rate/v3")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(bytes(Integer.toString(i)))
                        .send();
            }
            CompletableFuture.allOf(sent).get(30, TimeUnit.SECONDS);
            awaitCount(received, count);

            assertThat(received)
                    .extracting(Integer::parseInt)
                    .hasSize(count)
                    .isSorted()
                    .doesNotHaveDuplicates();
            long last = arrivals.stream().mapToLong(Long::longValue).max().orElseThrow();
            // Only a lower bound: the broker held the client back; how much longer it took is not asserted.
            assertThat(Duration.ofNanos(last - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
            assertThat(disconnects).isEmpty();
            assertThat(pub.getState().isConnected()).isTrue();
        } finally {
            disconnectQuietly(pub);
            disconnectQuietly(sub);
        }
    }
}

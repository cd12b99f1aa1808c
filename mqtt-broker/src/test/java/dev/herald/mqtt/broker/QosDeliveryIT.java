package dev.herald.mqtt.broker;

import static dev.herald.mqtt.broker.TestClients.awaitCount;
import static dev.herald.mqtt.broker.TestClients.bytes;
import static dev.herald.mqtt.broker.TestClients.closeQuietly;
import static dev.herald.mqtt.broker.TestClients.collect;
import static dev.herald.mqtt.broker.TestClients.connectV3;
import static dev.herald.mqtt.broker.TestClients.connectV5;
import static dev.herald.mqtt.broker.TestClients.disconnectQuietly;
import static dev.herald.mqtt.broker.TestClients.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import dev.herald.mqtt.testkit.HeraldBrokerExtension;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * QoS 0, 1 and 2 into and out of the broker with both client libraries and both protocol versions,
 * the downgrade to the granted QoS (MQTT 5.0 section 3.8.4), and ordering (section 4.6).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class QosDeliveryIT {

    @RegisterExtension
    static final HeraldBrokerExtension broker = new HeraldBrokerExtension();

    /** A message as a Paho 3.1.1 client saw it. */
    record Received(String topic, int qos, boolean retained, String payload) {}

    @ParameterizedTest
    @EnumSource(MqttQos.class)
    void hiveMqV5PublisherToPahoV5Subscriber(MqttQos qos) throws Exception {
        String topic = "qos/h5p5/" + qos.getCode();
        var sub = TestClients.pahoV5(broker.port(), "p5-sub-" + qos.getCode());
        Mqtt5BlockingClient pub = connectV5(broker.port(), "h5-pub-" + qos.getCode());
        try {
            TestClients.PahoV5Inbox inbox = new TestClients.PahoV5Inbox();
            sub.setCallback(inbox);
            sub.connect(TestClients.pahoV5Options());
            sub.subscribe(new MqttSubscription[] {new MqttSubscription(topic, qos.getCode())});

            Mqtt5PublishResult result = pub.publishWith()
                    .topic(topic)
                    .qos(qos)
                    .payload(bytes("v5 at " + qos))
                    .send();
            assertThat(result.getError()).isEmpty(); // PUBACK / PUBREC without an error code

            awaitCount(inbox.messages, 1);
            assertThat(inbox.messages)
                    .containsExactly(
                            new TestClients.PahoMessage(topic, qos.getCode(), false, "v5 at " + qos, List.of()));
        } finally {
            closeQuietly(sub);
            disconnectQuietly(pub);
        }
    }

    @ParameterizedTest
    @EnumSource(MqttQos.class)
    void pahoV5PublisherToHiveMqV5Subscriber(MqttQos qos) throws Exception {
        String topic = "qos/p5h5/" + qos.getCode();
        Mqtt5BlockingClient sub = connectV5(broker.port(), "h5-sub-" + qos.getCode());
        var pub = TestClients.pahoV5(broker.port(), "p5-pub-" + qos.getCode());
        try {
            Queue<Mqtt5Publish> received = collect(sub);
            TestClients.subscribe(sub, topic, qos);
            pub.connect(TestClients.pahoV5Options());
            pub.publish(topic, bytes("paho v5 at " + qos), qos.getCode(), false); // returns once acknowledged

            awaitCount(received, 1);
            Mqtt5Publish p = received.peek();
            assertThat(p.getTopic().toString()).isEqualTo(topic);
            assertThat(p.getQos()).isEqualTo(qos);
            assertThat(p.isRetain()).isFalse();
            assertThat(text(p.getPayloadAsBytes())).isEqualTo("paho v5 at " + qos);
        } finally {
            closeQuietly(pub);
            disconnectQuietly(sub);
        }
    }

    @ParameterizedTest
    @EnumSource(MqttQos.class)
    void hiveMqV311PublisherToPahoV311Subscriber(MqttQos qos) throws Exception {
        String topic = "qos/h3p3/" + qos.getCode();
        MqttClient sub = TestClients.pahoV3(broker.port(), "p3-sub-" + qos.getCode());
        Mqtt3BlockingClient pub = connectV3(broker.port(), "h3-pub-" + qos.getCode());
        try {
            Queue<Received> received = new ConcurrentLinkedQueue<>();
            sub.connect(TestClients.pahoV3Options(true));
            sub.subscribe(
                    topic,
                    qos.getCode(),
                    (t, m) -> received.add(new Received(t, m.getQos(), m.isRetained(), text(m.getPayload()))));

            pub.publishWith()
                    .topic(topic)
                    .qos(qos)
                    .payload(bytes("3.1.1 at " + qos))
                    .send();

            awaitCount(received, 1);
            assertThat(received).containsExactly(new Received(topic, qos.getCode(), false, "3.1.1 at " + qos));
        } finally {
            closeQuietly(sub);
            disconnectQuietly(pub);
        }
    }

    @ParameterizedTest
    @EnumSource(MqttQos.class)
    void pahoV311PublisherToHiveMqV311Subscriber(MqttQos qos) throws Exception {
        String topic = "qos/p3h3/" + qos.getCode();
        Mqtt3BlockingClient sub = connectV3(broker.port(), "h3-sub-" + qos.getCode());
        MqttClient pub = TestClients.pahoV3(broker.port(), "p3-pub-" + qos.getCode());
        try (Mqtt3BlockingClient.Mqtt3Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter(topic).qos(qos).send();
            pub.connect(TestClients.pahoV3Options(true));
            pub.publish(topic, bytes("paho 3.1.1 at " + qos), qos.getCode(), false);

            Mqtt3Publish p = publishes
                    .receive(TestClients.WAIT.toSeconds(), TimeUnit.SECONDS)
                    .orElseThrow();
            assertThat(p.getTopic().toString()).isEqualTo(topic);
            assertThat(p.getQos()).isEqualTo(qos);
            assertThat(p.isRetain()).isFalse();
            assertThat(text(p.getPayloadAsBytes())).isEqualTo("paho 3.1.1 at " + qos);
        } finally {
            closeQuietly(pub);
            disconnectQuietly(sub);
        }
    }

    @ParameterizedTest(name = "published at {0}, subscribed at {1}: delivered at {2}")
    @CsvSource({"2, 1, 1", "2, 0, 0", "1, 0, 0", "0, 2, 0", "1, 2, 1"})
    void deliversAtTheLowerOfPublishedAndGrantedQos(int published, int subscribed, int expected) {
        String topic = "qos/downgrade/" + published + subscribed;
        Mqtt5BlockingClient sub = connectV5(broker.port(), "down-sub-" + published + subscribed);
        Mqtt5BlockingClient pub = connectV5(broker.port(), "down-pub-" + published + subscribed);
        try {
            Queue<Mqtt5Publish> received = collect(sub);
            TestClients.subscribe(sub, topic, MqttQos.fromCode(subscribed));
            TestClients.publish(pub, topic, MqttQos.fromCode(published), "m");

            awaitCount(received, 1);
            assertThat(received).hasSize(1);
            assertThat(received.peek().getQos()).isEqualTo(MqttQos.fromCode(expected));
        } finally {
            disconnectQuietly(sub);
            disconnectQuietly(pub);
        }
    }

    @Test
    void downgradesForV311SubscriberOfV5Publisher() throws Exception {
        Mqtt3BlockingClient sub = connectV3(broker.port(), "down-v3-sub");
        Mqtt5BlockingClient pub = connectV5(broker.port(), "down-v5-pub");
        try (Mqtt3BlockingClient.Mqtt3Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith()
                    .topicFilter("qos/mixed")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            TestClients.publish(pub, "qos/mixed", MqttQos.EXACTLY_ONCE, "from v5");

            Mqtt3Publish p = publishes
                    .receive(TestClients.WAIT.toSeconds(), TimeUnit.SECONDS)
                    .orElseThrow();
            assertThat(p.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
            assertThat(text(p.getPayloadAsBytes())).isEqualTo("from v5");
        } finally {
            disconnectQuietly(sub);
            disconnectQuietly(pub);
        }
    }

    @Test
    void thousandQos1MessagesFromOnePublisherArriveInOrder() throws Exception {
        int count = 1_000;
        Mqtt5BlockingClient sub = connectV5(broker.port(), "order-sub");
        Mqtt5BlockingClient pub = connectV5(broker.port(), "order-pub");
        try {
            Queue<Mqtt5Publish> received = collect(sub);
            TestClients.subscribe(sub, "qos/order", MqttQos.AT_LEAST_ONCE);

            Mqtt5AsyncClient async = pub.toAsync();
            CompletableFuture<?>[] sent = new CompletableFuture<?>[count];
            for (int i = 0; i < count; i++) {
                sent[i] = async.publishWith()
                        .topic("qos/order")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(bytes(Integer.toString(i)))
                        .send();
            }
            CompletableFuture.allOf(sent).get(30, TimeUnit.SECONDS);

            awaitCount(received, count);
            List<Integer> order = received.stream()
                    .map(p -> Integer.parseInt(text(p.getPayloadAsBytes())))
                    .toList();
            assertThat(order).hasSize(count).isSorted().doesNotHaveDuplicates();
            assertThat(received).allMatch(p -> p.getQos() == MqttQos.AT_LEAST_ONCE);
        } finally {
            disconnectQuietly(sub);
            disconnectQuietly(pub);
        }
    }

    @Test
    void neverExceedsTheSubscribersReceiveMaximum() {
        int count = 50;
        Queue<MqttClientDisconnectedContext> disconnects = new ConcurrentLinkedQueue<>();
        Mqtt5BlockingClient sub = Mqtt5Client.builder()
                .identifier("recvmax-sub")
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .addDisconnectedListener(disconnects::add)
                .buildBlocking();
        Mqtt5BlockingClient pub = connectV5(broker.port(), "recvmax-pub");
        try {
            Queue<Mqtt5Publish> received = collect(sub);
            // Receive Maximum 1: one QoS 1/2 PUBLISH in flight at a time (MQTT 5.0 3.1.2.11.3, 4.9).
            // The HiveMQ client disconnects with 0x93 if the broker sends more.
            sub.connectWith()
                    .restrictions()
                    .receiveMaximum(1)
                    .applyRestrictions()
                    .send();
            TestClients.subscribe(sub, "qos/recvmax", MqttQos.EXACTLY_ONCE);
            Mqtt5AsyncClient async = pub.toAsync();
            for (int i = 0; i < count; i++) {
                async.publishWith()
                        .topic("qos/recvmax")
                        .qos(i % 2 == 0 ? MqttQos.AT_LEAST_ONCE : MqttQos.EXACTLY_ONCE)
                        .payload(bytes(Integer.toString(i)))
                        .send();
            }
            awaitCount(received, count);
            assertThat(received)
                    .extracting(p -> Integer.parseInt(text(p.getPayloadAsBytes())))
                    .hasSize(count)
                    .isSorted();
            assertThat(disconnects).isEmpty();
        } finally {
            disconnectQuietly(sub);
            disconnectQuietly(pub);
        }
    }
}

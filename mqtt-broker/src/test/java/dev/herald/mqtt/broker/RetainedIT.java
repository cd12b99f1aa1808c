package dev.herald.mqtt.broker;

import static dev.herald.mqtt.broker.TestClients.awaitCount;
import static dev.herald.mqtt.broker.TestClients.bytes;
import static dev.herald.mqtt.broker.TestClients.closeQuietly;
import static dev.herald.mqtt.broker.TestClients.collect;
import static dev.herald.mqtt.broker.TestClients.connectV5;
import static dev.herald.mqtt.broker.TestClients.disconnectQuietly;
import static dev.herald.mqtt.broker.TestClients.payloadsBefore;
import static dev.herald.mqtt.broker.TestClients.publish;
import static dev.herald.mqtt.broker.TestClients.subscribe;
import static dev.herald.mqtt.broker.TestClients.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import dev.herald.mqtt.testkit.HeraldBrokerExtension;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Retained messages (MQTT 5.0 section 3.3.1.3): stored, replaced, cleared by an empty payload, sent
 * on subscribe with the retain flag, and the subscription options Retain As Published and Retain
 * Handling (section 3.8.3.1). Every test uses topics of its own: the retained store outlives tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class RetainedIT {

    @RegisterExtension
    static final HeraldBrokerExtension broker = new HeraldBrokerExtension();

    private static void retain(Mqtt5BlockingClient pub, String topic, MqttQos qos, String payload) {
        pub.publishWith()
                .topic(topic)
                .qos(qos)
                .retain(true)
                .payload(bytes(payload))
                .send();
    }

    @Test
    void storedMessagesArriveOnSubscribeWithRetainSetAtTheLowerQos() {
        Mqtt5BlockingClient pub = connectV5(broker.port(), "ret-store-pub");
        retain(pub, "ret/store/a", MqttQos.EXACTLY_ONCE, "a");
        retain(pub, "ret/store/b", MqttQos.AT_MOST_ONCE, "b");
        Mqtt5BlockingClient sub = connectV5(broker.port(), "ret-store-sub");
        try {
            Queue<Mqtt5Publish> received = collect(sub);
            subscribe(sub, "ret/store/+", MqttQos.AT_LEAST_ONCE);
            awaitCount(received, 2);

            Map<String, Mqtt5Publish> byPayload =
                    received.stream().collect(Collectors.toMap(p -> text(p.getPayloadAsBytes()), p -> p));
            assertThat(byPayload).containsOnlyKeys("a", "b");
            assertThat(byPayload.get("a").isRetain()).isTrue();
            assertThat(byPayload.get("a").getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
            assertThat(byPayload.get("b").isRetain()).isTrue();
            assertThat(byPayload.get("b").getQos()).isEqualTo(MqttQos.AT_MOST_ONCE);
        } finally {
            disconnectQuietly(sub);
            disconnectQuietly(pub);
        }
    }

    @Test
    void aNewRetainedMessageReplacesTheOld() {
        Mqtt5BlockingClient pub = connectV5(broker.port(), "ret-replace-pub");
        retain(pub, "ret/replace", MqttQos.AT_LEAST_ONCE, "v1");
        retain(pub, "ret/replace", MqttQos.AT_LEAST_ONCE, "v2");
        Mqtt5BlockingClient sub = connectV5(broker.port(), "ret-replace-sub");
        try {
            Queue<Mqtt5Publish> received = collect(sub);
            subscribe(sub, "ret/replace", MqttQos.AT_LEAST_ONCE);
            subscribe(sub, "ret/replace-end", MqttQos.AT_LEAST_ONCE);
            publish(pub, "ret/replace-end", MqttQos.AT_LEAST_ONCE, "end");

            assertThat(payloadsBefore(received, "ret/replace-end")).containsExactly("v2");
        } finally {
            disconnectQuietly(sub);
            disconnectQuietly(pub);
        }
    }

    @Test
    void anEmptyRetainedPayloadClearsTheTopicAndIsStillDeliveredLive() {
        Mqtt5BlockingClient pub = connectV5(broker.port(), "ret-clear-pub");
        Mqtt5BlockingClient live = connectV5(broker.port(), "ret-clear-live");
        Mqtt5BlockingClient later = connectV5(broker.port(), "ret-clear-later");
        try {
            retain(pub, "ret/clear", MqttQos.AT_LEAST_ONCE, "stored");
            Queue<Mqtt5Publish> liveReceived = collect(live);
            subscribe(live, "ret/clear", MqttQos.AT_LEAST_ONCE);
            awaitCount(liveReceived, 1); // the stored one, on subscribe

            retain(pub, "ret/clear", MqttQos.AT_LEAST_ONCE, "");
            awaitCount(liveReceived, 2);
            Mqtt5Publish clear = List.copyOf(liveReceived).get(1);
            assertThat(clear.getPayloadAsBytes()).isEmpty(); // forwarded to current subscribers as usual

            Queue<Mqtt5Publish> laterReceived = collect(later);
            subscribe(later, "ret/clear", MqttQos.AT_LEAST_ONCE);
            subscribe(later, "ret/clear-end", MqttQos.AT_LEAST_ONCE);
            publish(pub, "ret/clear-end", MqttQos.AT_LEAST_ONCE, "end");
            assertThat(payloadsBefore(laterReceived, "ret/clear-end"))
                    .as("nothing retained any more")
                    .isEmpty();
        } finally {
            disconnectQuietly(later);
            disconnectQuietly(live);
            disconnectQuietly(pub);
        }
    }

    @Test
    void liveDeliveriesClearTheRetainFlagUnlessRetainAsPublished() {
        Mqtt5BlockingClient pub = connectV5(broker.port(), "rap-pub");
        Mqtt5BlockingClient plain = connectV5(broker.port(), "rap-plain");
        Mqtt5BlockingClient asPublished = connectV5(broker.port(), "rap-as-published");
        try {
            Queue<Mqtt5Publish> plainReceived = collect(plain);
            Queue<Mqtt5Publish> rapReceived = collect(asPublished);
            subscribe(plain, "rap/t", MqttQos.AT_LEAST_ONCE);
            asPublished
                    .subscribeWith()
                    .topicFilter("rap/t")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .retainAsPublished(true)
                    .send();

            retain(pub, "rap/t", MqttQos.AT_LEAST_ONCE, "retained");
            publish(pub, "rap/t", MqttQos.AT_LEAST_ONCE, "normal");
            awaitCount(plainReceived, 2);
            awaitCount(rapReceived, 2);

            assertThat(plainReceived).extracting(Mqtt5Publish::isRetain).containsExactly(false, false);
            assertThat(rapReceived).extracting(Mqtt5Publish::isRetain).containsExactly(true, false);
        } finally {
            disconnectQuietly(asPublished);
            disconnectQuietly(plain);
            disconnectQuietly(pub);
        }
    }

    @ParameterizedTest(name = "Retain Handling {0}: retained sent {1} times for two SUBSCRIBEs")
    @CsvSource({"0, 2", "1, 1", "2, 0"})
    void retainHandlingDecidesWhenRetainedMessagesAreSent(int handling, int expectedCopies) {
        String topic = "rh/" + handling + "/t";
        String end = "rh/" + handling + "/end";
        Mqtt5BlockingClient pub = connectV5(broker.port(), "rh-pub-" + handling);
        retain(pub, topic, MqttQos.AT_LEAST_ONCE, "kept");
        Mqtt5BlockingClient sub = connectV5(broker.port(), "rh-sub-" + handling);
        try {
            Queue<Mqtt5Publish> received = collect(sub);
            for (int i = 0; i < 2; i++) {
                // 0: on every SUBSCRIBE; 1: only if the subscription did not exist; 2: never.
                sub.subscribeWith()
                        .topicFilter(topic)
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .retainHandling(Mqtt5RetainHandling.fromCode(handling))
                        .send();
            }
            subscribe(sub, end, MqttQos.AT_LEAST_ONCE);
            publish(pub, end, MqttQos.AT_LEAST_ONCE, "end");

            assertThat(payloadsBefore(received, end))
                    .containsExactlyElementsOf(Collections.nCopies(expectedCopies, "kept"));
            assertThat(received.stream().filter(p -> p.getTopic().toString().equals(topic)))
                    .allMatch(Mqtt5Publish::isRetain);
        } finally {
            disconnectQuietly(sub);
            disconnectQuietly(pub);
        }
    }

    @Test
    void v311RetainedMessageArrivesWithRetainFlag() throws Exception {
        MqttClient pub = TestClients.pahoV3(broker.port(), "ret-v3-pub");
        MqttClient sub = TestClients.pahoV3(broker.port(), "ret-v3-sub");
        try {
            pub.connect(TestClients.pahoV3Options(true));
            pub.publish("ret/v3", bytes("three"), 2, true);

            Queue<QosDeliveryIT.Received> received = new ConcurrentLinkedQueue<>();
            sub.connect(TestClients.pahoV3Options(true));
            sub.subscribe(
                    "ret/v3",
                    2,
                    (t, m) -> received.add(
                            new QosDeliveryIT.Received(t, m.getQos(), m.isRetained(), text(m.getPayload()))));
            awaitCount(received, 1);
            assertThat(received).containsExactly(new QosDeliveryIT.Received("ret/v3", 2, true, "three"));
        } finally {
            closeQuietly(sub);
            closeQuietly(pub);
        }
    }
}

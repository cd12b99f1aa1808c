package dev.herald.mqtt.broker;

import static dev.herald.mqtt.broker.TestClients.WAIT;
import static dev.herald.mqtt.broker.TestClients.awaitCount;
import static dev.herald.mqtt.broker.TestClients.awaitOffline;
import static dev.herald.mqtt.broker.TestClients.closeQuietly;
import static dev.herald.mqtt.broker.TestClients.collect;
import static dev.herald.mqtt.broker.TestClients.connectV5;
import static dev.herald.mqtt.broker.TestClients.disconnectQuietly;
import static dev.herald.mqtt.broker.TestClients.payloadsBefore;
import static dev.herald.mqtt.broker.TestClients.publish;
import static dev.herald.mqtt.broker.TestClients.subscribe;
import static dev.herald.mqtt.broker.TestClients.v5;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import com.typesafe.config.ConfigFactory;
import dev.herald.mqtt.message.ConnAck;
import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PubRec;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.reason.DisconnectReasonCode;
import dev.herald.mqtt.testkit.HeraldBrokerExtension;
import java.util.Queue;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Configured limits and how they show on the wire: subscription quota (SUBACK 0x97), session queue
 * (drop and count), topic levels (PUBACK 0x90, SUBACK 0x8F, DISCONNECT 0x90) and open connections
 * (CONNACK 0x89 / 3.1.1 0x03).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class LimitsIT {

    private static final int QUEUE_LIMIT = 5;

    @RegisterExtension
    static final HeraldBrokerExtension broker = new HeraldBrokerExtension("herald.mqtt { max-queued-messages = "
            + QUEUE_LIMIT + ", max-subscriptions-per-client = 3, max-topic-levels = 4, receive-maximum = 2 }");

    @Test
    void aThirdUnreleasedQos2PublishOverReceiveMaximum2GetsDisconnect0x93() throws Exception {
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            ConnAck ack = raw.connect("receive-max", true, 0, null);
            assertThat(ack.properties().intValue(MqttProperty.RECEIVE_MAXIMUM, -1))
                    .isEqualTo(2);
            raw.publish("rm/t", QoS.EXACTLY_ONCE, 1, false, "one");
            raw.expect(PubRec.class);
            raw.publish("rm/t", QoS.EXACTLY_ONCE, 2, false, "two");
            raw.expect(PubRec.class);
            // Two QoS 2 messages not yet released by PUBREL: a third exceeds the Receive Maximum (MQTT 5.0 3.3.4).
            raw.publish("rm/t", QoS.EXACTLY_ONCE, 3, false, "three");
            assertThat(raw.readUntilClosed(WAIT))
                    .containsExactly(new Disconnect(DisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED));
        }
    }

    @Test
    void subscriptionsOverTheQuotaGetSubAck0x97() {
        Mqtt5BlockingClient client = connectV5(broker.port(), "quota");
        try {
            for (int i = 1; i <= 3; i++) {
                subscribe(client, "quota/" + i, MqttQos.AT_LEAST_ONCE);
            }
            Mqtt5SubAckException refused = catchThrowableOfType(Mqtt5SubAckException.class, () -> client.subscribeWith()
                    .addSubscription()
                    .topicFilter("quota/1")
                    .qos(MqttQos.EXACTLY_ONCE)
                    .applySubscription()
                    .addSubscription()
                    .topicFilter("quota/4")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .applySubscription()
                    .send());
            assertThat(refused)
                    .as("HiveMQ's blocking client throws on any error code")
                    .isNotNull();
            // Replacing an existing subscription does not count against the quota; a fourth does.
            assertThat(refused.getMqttMessage().getReasonCodes())
                    .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_2, Mqtt5SubAckReasonCode.QUOTA_EXCEEDED);
        } finally {
            disconnectQuietly(client);
        }
    }

    @Test
    void v311SubscriptionsOverTheQuotaGetFailure0x80() throws Exception {
        MqttClient client = TestClients.pahoV3(broker.port(), "quota-v3");
        try {
            client.connect(TestClients.pahoV3Options(true));
            int[] granted = client.subscribeWithResponse(
                            new String[] {"q3/1", "q3/2", "q3/3", "q3/4"}, new int[] {1, 1, 1, 1})
                    .getGrantedQos();
            assertThat(granted).containsExactly(1, 1, 1, 0x80);
        } finally {
            closeQuietly(client);
        }
    }

    @Test
    void aFullSessionQueueDropsAndCountsTheRest() {
        String id = "queue-limit";
        Mqtt5BlockingClient first = v5(broker.port(), id);
        first.connectWith().cleanStart(true).sessionExpiryInterval(60).send();
        subscribe(first, "queue/t", MqttQos.AT_LEAST_ONCE);
        subscribe(first, "queue/end", MqttQos.AT_LEAST_ONCE);
        first.disconnect();
        awaitOffline(broker.broker(), id);

        Mqtt5BlockingClient pub = connectV5(broker.port(), "queue-pub");
        Mqtt5BlockingClient second = v5(broker.port(), id);
        Queue<Mqtt5Publish> received = collect(second);
        try {
            long droppedBefore = broker.broker().metrics().droppedQueueFull();
            int published = QUEUE_LIMIT + 7;
            for (int i = 0; i < published; i++) {
                publish(pub, "queue/t", MqttQos.AT_LEAST_ONCE, "m" + i);
            }
            await().atMost(WAIT)
                    .until(() ->
                            broker.broker().metrics().droppedQueueFull() - droppedBefore == published - QUEUE_LIMIT);

            assertThat(second.connectWith()
                            .cleanStart(false)
                            .sessionExpiryInterval(60)
                            .send()
                            .isSessionPresent())
                    .isTrue();
            publish(pub, "queue/end", MqttQos.AT_LEAST_ONCE, "end");
            // Exactly the limit arrives: the oldest, since the newest were refused at the full queue.
            assertThat(payloadsBefore(received, "queue/end")).containsExactly("m0", "m1", "m2", "m3", "m4");
            assertThat(broker.broker().metrics().droppedQueueFull() - droppedBefore)
                    .isEqualTo(published - QUEUE_LIMIT);
        } finally {
            disconnectQuietly(second);
            disconnectQuietly(pub);
        }
    }

    @Test
    void tooManyTopicLevelsGetPubAck0x90AndSubAck0x8F() {
        Mqtt5BlockingClient client = connectV5(broker.port(), "levels");
        try {
            // HiveMQ's blocking client throws on an error code; the PUBACK rides in the exception.
            Mqtt5PubAckException pubAck = catchThrowableOfType(Mqtt5PubAckException.class, () -> client.publishWith()
                    .topic("l1/l2/l3/l4/l5")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(TestClients.bytes("x"))
                    .send());
            assertThat(pubAck).isNotNull();
            assertThat(pubAck.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.TOPIC_NAME_INVALID);

            Mqtt5SubAckException refused = catchThrowableOfType(Mqtt5SubAckException.class, () -> client.subscribeWith()
                    .topicFilter("l1/l2/l3/l4/+")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send());
            assertThat(refused).isNotNull();
            assertThat(refused.getMqttMessage().getReasonCodes())
                    .containsExactly(Mqtt5SubAckReasonCode.TOPIC_FILTER_INVALID);

            // The connection carries on; four levels are within the limit.
            Queue<Mqtt5Publish> received = collect(client);
            subscribe(client, "l1/l2/l3/+", MqttQos.AT_LEAST_ONCE);
            publish(client, "l1/l2/l3/l4", MqttQos.AT_LEAST_ONCE, "fits");
            awaitCount(received, 1);
        } finally {
            disconnectQuietly(client);
        }
    }

    @Test
    void aQos0PublishWithTooManyLevelsGetsDisconnect0x90() throws Exception {
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            raw.connect("levels-qos0", true, 0, null);
            raw.publish("l1/l2/l3/l4/l5", QoS.AT_MOST_ONCE, 0, false, "x"); // no PUBACK to carry the code
            assertThat(raw.readUntilClosed(WAIT))
                    .containsExactly(new Disconnect(DisconnectReasonCode.TOPIC_NAME_INVALID));
        }
    }

    @Test
    void messagesOverTheClientsMaximumPacketSizeAreNotSentButCounted() {
        Mqtt5BlockingClient sub = v5(broker.port(), "small-packets");
        Mqtt5BlockingClient pub = connectV5(broker.port(), "small-packets-pub");
        try {
            Queue<Mqtt5Publish> received = collect(sub);
            sub.connectWith()
                    .restrictions()
                    .maximumPacketSize(1024)
                    .applyRestrictions()
                    .send();
            subscribe(sub, "small/#", MqttQos.AT_LEAST_ONCE);
            long droppedBefore = broker.broker().metrics().droppedTooLargeForClient();

            pub.publishWith()
                    .topic("small/big")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(new byte[2048])
                    .send();
            publish(pub, "small/end", MqttQos.AT_LEAST_ONCE, "end");
            // MQTT 5.0 3.1.2.11.4 [MQTT-3.1.2-24/25]: never sent, discarded as if delivered.
            assertThat(payloadsBefore(received, "small/end")).isEmpty();
            assertThat(broker.broker().metrics().droppedTooLargeForClient() - droppedBefore)
                    .isEqualTo(1);
            assertThat(sub.getState().isConnected()).isTrue();
        } finally {
            disconnectQuietly(sub);
            disconnectQuietly(pub);
        }
    }

    @Test
    void connectionsOverTheLimitAreRefusedWhileTheOthersCarryOn() {
        try (EmbeddedBroker small = EmbeddedBroker.start(
                ConfigFactory.parseString("herald.mqtt { bind = \"127.0.0.1\", port = 0, max-connections = 2 }")
                        .withFallback(ConfigFactory.load()))) {
            Mqtt5BlockingClient one = connectV5(small.port(), "limit-1");
            Mqtt5BlockingClient two = connectV5(small.port(), "limit-2");
            try {
                Mqtt5ConnAckException busy =
                        catchThrowableOfType(Mqtt5ConnAckException.class, () -> v5(small.port(), "limit-3")
                                .connect());
                assertThat(busy).isNotNull();
                assertThat(busy.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SERVER_BUSY);

                Mqtt3ConnAckException unavailable = catchThrowableOfType(
                        Mqtt3ConnAckException.class,
                        () -> TestClients.v3(small.port(), "limit-3-v3").connect());
                assertThat(unavailable).isNotNull();
                assertThat(unavailable.getMqttMessage().getReturnCode())
                        .isEqualTo(Mqtt3ConnAckReturnCode.SERVER_UNAVAILABLE); // 0x03

                Queue<Mqtt5Publish> received = collect(two);
                subscribe(two, "limit/t", MqttQos.AT_LEAST_ONCE);
                publish(one, "limit/t", MqttQos.AT_LEAST_ONCE, "still working");
                awaitCount(received, 1);
            } finally {
                disconnectQuietly(one);
                disconnectQuietly(two);
            }
        }
    }
}

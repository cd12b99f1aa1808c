package dev.herald.mqtt.broker;

import static dev.herald.mqtt.broker.TestClients.awaitCount;
import static dev.herald.mqtt.broker.TestClients.closeQuietly;
import static dev.herald.mqtt.broker.TestClients.collect;
import static dev.herald.mqtt.broker.TestClients.connectV5;
import static dev.herald.mqtt.broker.TestClients.disconnectQuietly;
import static dev.herald.mqtt.broker.TestClients.payloadsBefore;
import static dev.herald.mqtt.broker.TestClients.publish;
import static dev.herald.mqtt.broker.TestClients.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.unsubscribe.unsuback.Mqtt5UnsubAckReasonCode;
import dev.herald.mqtt.testkit.HeraldBrokerExtension;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Topic filters and subscription options end to end (MQTT 5.0 sections 3.8-3.11 and 4.7): wildcards,
 * '$' topics, SUBACK and UNSUBACK codes, replaced and overlapping subscriptions, No Local.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class SubscriptionIT {

    @RegisterExtension
    static final HeraldBrokerExtension broker = new HeraldBrokerExtension();

    private static final List<String> TOPICS = List.of(
            "sw/a/temp",
            "sw/b/temp",
            "sw//temp",
            "sw/a/b/temp",
            "sw/a",
            "sw/temp",
            "sx/a/temp",
            "$app/load", // a '$' topic of the test's own: clients may not publish to $SYS
            "sw/load",
            "/load");

    @ParameterizedTest(name = "{0} matches {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "sw/+/temp   | sw/a/temp sw/b/temp sw//temp",
                "sw/a/#      | sw/a/temp sw/a/b/temp sw/a",
                "sw/#        | sw/a/temp sw/b/temp sw//temp sw/a/b/temp sw/a sw/temp sw/load",
                "+/+/temp    | sw/a/temp sw/b/temp sw//temp sx/a/temp",
                "sw/+        | sw/a sw/temp sw/load",
                "+/load      | sw/load /load",
                "#           | sw/a/temp sw/b/temp sw//temp sw/a/b/temp sw/a sw/temp sx/a/temp sw/load /load",
                "$app/#      | $app/load",
                "$app/+      | $app/load",
                "sw/a/temp   | sw/a/temp"
            })
    void wildcardsMatchAsSpecifiedAndDollarTopicsOnlyExplicitly(String filter, String matches) {
        // '#' and '+' at the first level do not match topics starting with '$' (MQTT 5.0 4.7.2).
        Mqtt5BlockingClient sub = connectV5(broker.port(), "wild-sub");
        Mqtt5BlockingClient pub = connectV5(broker.port(), "wild-pub");
        try {
            Queue<Mqtt5Publish> received = collect(sub);
            subscribe(sub, filter, MqttQos.AT_LEAST_ONCE);
            subscribe(sub, "wild-end", MqttQos.AT_LEAST_ONCE);
            for (String topic : TOPICS) {
                publish(pub, topic, MqttQos.AT_LEAST_ONCE, topic);
            }
            publish(pub, "wild-end", MqttQos.AT_LEAST_ONCE, "end");

            assertThat(payloadsBefore(received, "wild-end"))
                    .containsExactlyElementsOf(Arrays.asList(matches.split(" ")));
        } finally {
            disconnectQuietly(sub);
            disconnectQuietly(pub);
        }
    }

    @Test
    void subAckHasOneCodePerFilterSharedSubscriptionsIncluded() {
        Mqtt5BlockingClient sub = connectV5(broker.port(), "suback-v5");
        try {
            Mqtt5SubAck ack = sub.subscribeWith()
                    .addSubscription()
                    .topicFilter("codes/0")
                    .qos(MqttQos.AT_MOST_ONCE)
                    .applySubscription()
                    .addSubscription()
                    .topicFilter("codes/1")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .applySubscription()
                    .addSubscription()
                    .topicFilter("$share/g/codes/t")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .applySubscription()
                    .addSubscription()
                    .topicFilter("codes/2")
                    .qos(MqttQos.EXACTLY_ONCE)
                    .applySubscription()
                    .send();
            assertThat(ack.getReasonCodes())
                    .containsExactly(
                            Mqtt5SubAckReasonCode.GRANTED_QOS_0,
                            Mqtt5SubAckReasonCode.GRANTED_QOS_1,
                            Mqtt5SubAckReasonCode.GRANTED_QOS_1,
                            Mqtt5SubAckReasonCode.GRANTED_QOS_2);
        } finally {
            disconnectQuietly(sub);
        }
    }

    @Test
    void v311SubAckGrantsQosPerFilterSharedSubscriptionsIncluded() throws Exception {
        MqttClient sub = TestClients.pahoV3(broker.port(), "suback-v3");
        try {
            sub.connect(TestClients.pahoV3Options(true));
            IMqttToken token = sub.subscribeWithResponse(
                    new String[] {"codes3/0", "codes3/1", "codes3/2", "$share/g/codes3"}, new int[] {0, 1, 2, 1});
            // 3.1.1 section 3.9.3: 0x00-0x02 granted QoS; shared subscriptions are accepted from 3.1.1 too.
            assertThat(token.getGrantedQos()).containsExactly(0, 1, 2, 1);
        } finally {
            closeQuietly(sub);
        }
    }

    @Test
    void overlappingSubscriptionsDeliverOnceAtTheHighestQosWithAllIdentifiers() throws Exception {
        MqttAsyncClient sub =
                new MqttAsyncClient("tcp://127.0.0.1:" + broker.port(), "overlap-sub", new MemoryPersistence());
        Mqtt5BlockingClient pub = connectV5(broker.port(), "overlap-pub");
        try {
            TestClients.PahoV5Inbox inbox = new TestClients.PahoV5Inbox();
            sub.setCallback(inbox);
            sub.connect(TestClients.pahoV5Options()).waitForCompletion(5000);
            subscribeWithId(sub, new MqttSubscription("overlap/#", 0), 11);
            subscribeWithId(sub, new MqttSubscription("overlap/+/x", 2), 22);
            subscribeWithId(sub, new MqttSubscription("overlap/a/x", 1), 0); // no identifier

            publish(pub, "overlap/a/x", MqttQos.EXACTLY_ONCE, "both");
            publish(pub, "overlap/end", MqttQos.EXACTLY_ONCE, "end");
            TestClients.awaitCount(inbox.messages, 2);

            List<TestClients.PahoMessage> messages = List.copyOf(inbox.messages);
            assertThat(messages).extracting(TestClients.PahoMessage::payload).containsExactly("both", "end");
            TestClients.PahoMessage both = messages.get(0);
            assertThat(both.qos()).isEqualTo(2);
            // Every matching subscription's identifier, in no particular order (MQTT 5.0 3.3.4).
            assertThat(both.subscriptionIds()).containsExactlyInAnyOrder(11, 22);
            assertThat(messages.get(1).subscriptionIds()).containsExactly(11);
        } finally {
            if (sub.isConnected()) {
                sub.disconnect().waitForCompletion(5000);
            }
            sub.close();
            disconnectQuietly(pub);
        }
    }

    private static void subscribeWithId(MqttAsyncClient client, MqttSubscription subscription, int id)
            throws Exception {
        MqttProperties props = new MqttProperties();
        if (id > 0) {
            props.setSubscriptionIdentifier(id);
        }
        client.subscribe(new MqttSubscription[] {subscription}, null, null, props)
                .waitForCompletion(5000);
    }

    @Test
    void unsubscribeStopsDeliveryAndReportsUnknownFilters() {
        Mqtt5BlockingClient sub = connectV5(broker.port(), "unsub-sub");
        Mqtt5BlockingClient pub = connectV5(broker.port(), "unsub-pub");
        try {
            Queue<Mqtt5Publish> received = collect(sub);
            subscribe(sub, "unsub/a", MqttQos.AT_LEAST_ONCE);
            subscribe(sub, "unsub/b", MqttQos.AT_LEAST_ONCE);
            subscribe(sub, "unsub/end", MqttQos.AT_LEAST_ONCE);

            assertThat(sub.unsubscribeWith().topicFilter("unsub/a").send().getReasonCodes())
                    .containsExactly(Mqtt5UnsubAckReasonCode.SUCCESS);
            assertThat(sub.unsubscribeWith().topicFilter("unsub/never").send().getReasonCodes())
                    .containsExactly(Mqtt5UnsubAckReasonCode.NO_SUBSCRIPTIONS_EXISTED); // 0x11
            assertThat(sub.unsubscribeWith()
                            .addTopicFilter("unsub/b")
                            .addTopicFilter("unsub/a")
                            .send()
                            .getReasonCodes())
                    .containsExactly(Mqtt5UnsubAckReasonCode.SUCCESS, Mqtt5UnsubAckReasonCode.NO_SUBSCRIPTIONS_EXISTED);

            publish(pub, "unsub/a", MqttQos.AT_LEAST_ONCE, "a");
            publish(pub, "unsub/b", MqttQos.AT_LEAST_ONCE, "b");
            publish(pub, "unsub/end", MqttQos.AT_LEAST_ONCE, "end");
            assertThat(payloadsBefore(received, "unsub/end")).isEmpty();
        } finally {
            disconnectQuietly(sub);
            disconnectQuietly(pub);
        }
    }

    @Test
    void noLocalSkipsOnlyThePublishersOwnMessages() {
        Mqtt5BlockingClient self = connectV5(broker.port(), "nolocal-self");
        Mqtt5BlockingClient other = connectV5(broker.port(), "nolocal-other");
        try {
            Queue<Mqtt5Publish> received = collect(self);
            self.subscribeWith()
                    .topicFilter("nolocal/t")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .noLocal(true)
                    .send();
            subscribe(self, "nolocal/end", MqttQos.AT_LEAST_ONCE);

            publish(self, "nolocal/t", MqttQos.AT_LEAST_ONCE, "own");
            publish(self, "nolocal/end", MqttQos.AT_LEAST_ONCE, "end");
            assertThat(payloadsBefore(received, "nolocal/end"))
                    .as("own message not sent back")
                    .isEmpty();

            publish(other, "nolocal/t", MqttQos.AT_LEAST_ONCE, "theirs");
            awaitCount(received, 2);
            assertThat(received)
                    .extracting(p -> TestClients.text(p.getPayloadAsBytes()))
                    .containsExactly("end", "theirs");
        } finally {
            disconnectQuietly(self);
            disconnectQuietly(other);
        }
    }
}

package dev.herald.mqtt.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.herald.mqtt.testkit.HeraldBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Publish and subscribe end to end with the HiveMQ MQTT 5 client, at every QoS. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class PublishSubscribeIT {

    @RegisterExtension
    static final HeraldBrokerExtension broker = new HeraldBrokerExtension();

    private Mqtt5BlockingClient client(String id) {
        Mqtt5BlockingClient c = Mqtt5Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .buildBlocking();
        c.connect();
        return c;
    }

    @ParameterizedTest
    @EnumSource(MqttQos.class)
    void deliversAtEveryQos(MqttQos qos) throws Exception {
        Mqtt5BlockingClient sub = client("sub-" + qos);
        Mqtt5BlockingClient pub = client("pub-" + qos);
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
                sub.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("it/" + qos + "/+").qos(qos).send();
            pub.publishWith()
                    .topic("it/" + qos + "/a")
                    .qos(qos)
                    .payload("hello".getBytes(StandardCharsets.UTF_8))
                    .send();

            Optional<Mqtt5Publish> received = publishes.receive(5, TimeUnit.SECONDS);
            assertThat(received).isPresent();
            assertThat(received.get().getTopic().toString()).isEqualTo("it/" + qos + "/a");
            assertThat(received.get().getQos()).isEqualTo(qos);
            assertThat(new String(received.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("hello");
        } finally {
            sub.disconnect();
            pub.disconnect();
        }
    }

    @Test
    void retainedMessageArrivesOnSubscribe() throws Exception {
        Mqtt5BlockingClient pub = client("retain-pub");
        pub.publishWith()
                .topic("it/retained")
                .retain(true)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(new byte[] {1, 2, 3})
                .send();
        pub.disconnect();

        Mqtt5BlockingClient sub = client("retain-sub");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
                sub.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("it/#").qos(MqttQos.AT_LEAST_ONCE).send();
            Optional<Mqtt5Publish> received = publishes.receive(5, TimeUnit.SECONDS);
            assertThat(received).isPresent();
            assertThat(received.get().isRetain()).isTrue();
            assertThat(received.get().getPayloadAsBytes()).containsExactly(1, 2, 3);
        } finally {
            sub.disconnect();
        }
    }
}

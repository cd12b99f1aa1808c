package dev.herald.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.herald.mqtt.broker.EmbeddedBroker;
import dev.herald.mqtt.testkit.HeraldBrokerExtension;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

// #embedding-herald
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class EmbeddingHeraldIT {

    // One broker for the class, on 127.0.0.1 and a free port, with settings of its own.
    @RegisterExtension
    static final HeraldBrokerExtension broker = new HeraldBrokerExtension("herald.mqtt.max-queued-messages = 100");

    @Test
    void aClientTalksToTheBrokerOfThisClass() throws Exception {
        Mqtt5BlockingClient client = Mqtt5Client.builder()
                .identifier("docs-client")
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .buildBlocking();
        client.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
            client.subscribeWith()
                    .topicFilter("docs/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            client.publishWith()
                    .topic("docs/hello")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(new byte[] {1})
                    .send();

            Optional<Mqtt5Publish> received = publishes.receive(5, TimeUnit.SECONDS);
            assertThat(received).isPresent();
        } finally {
            client.disconnect();
        }
    }

    @Test
    void anEmbeddedBrokerOfItsOwn() {
        try (EmbeddedBroker own = EmbeddedBroker.start()) { // stopped, clients disconnected, at the end
            assertThat(own.port()).isPositive().isNotEqualTo(broker.port());
            assertThat(own.metrics().connections()).isZero();
        }
    }
}
// #embedding-herald

package dev.herald.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.herald.mqtt.broker.EmbeddedBroker;
import java.nio.file.Path;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** docs/persistence.md: an embedded broker with persistence turned on keeps what a client retained. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class PersistenceGuideIT {

    private static Mqtt5BlockingClient connect(int port, String id) {
        Mqtt5BlockingClient client = Mqtt5Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
        client.connect();
        return client;
    }

    @Test
    void anEmbeddedBrokerWithPersistenceKeepsRetainedMessagesAcrossARestart(@TempDir Path dataDirectory) {
        // sample: embedded-persistence
        Config config = ConfigFactory.parseString("herald.mqtt { port = 0, persistence { enabled = true } }")
                .withValue("herald.mqtt.persistence.directory", ConfigValueFactory.fromAnyRef(dataDirectory.toString()))
                .withFallback(ConfigFactory.load());
        try (EmbeddedBroker broker = EmbeddedBroker.start(config)) { // opens (or makes) the data directory
            Mqtt5BlockingClient client = connect(broker.port(), "docs-persistence");
            client.publishWith()
                    .topic("plant/status")
                    .retain(true)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload("running".getBytes())
                    .send();
            client.disconnect();
        } // the store is closed with the broker: another broker may open the directory now
        try (EmbeddedBroker restarted = EmbeddedBroker.start(config)) {
            assertThat(restarted.metrics().retainedMessages()).isEqualTo(1);
        }
        // end sample
    }
}

package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.herald.mqtt.broker.EmbeddedBroker;
import dev.herald.server.admin.AdminSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup moved to another data directory: a broker with persistence keeps a retained message and
 * a persistent session with a subscription and queued QoS 1 messages; stopped, its directory is
 * exported with {@code herald export} and imported into a new one with {@code herald import}, and a
 * broker started there has the retained message, the session and its queued messages.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class ExportImportIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private static EmbeddedBroker start(Path data) {
        Config settings = ConfigFactory.parseString("herald.mqtt { bind = \"127.0.0.1\", port = 0, sys.interval = 0 }")
                .withValue("herald.mqtt.persistence.directory", ConfigValueFactory.fromAnyRef(data.toString()));
        return HeraldServer.start(HeraldServer.withDefaults(settings, Optional.empty()), disabledAdmin());
    }

    private static AdminSettings disabledAdmin() {
        return AdminSettings.from(
                HeraldServer.withDefaults(ConfigFactory.parseString("herald.admin.enabled = false"), Optional.empty()));
    }

    private static Mqtt5BlockingClient client(int port, String id, Queue<Mqtt5Publish> received) {
        Mqtt5BlockingClient c = Mqtt5Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
        c.toAsync().publishes(MqttGlobalPublishFilter.ALL, received::add);
        return c;
    }

    private record Run(int exit, String out, String err) {}

    private static Run herald(String command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = TransferCommand.run(
                command,
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aSessionWithQueuedMessagesAndARetainedMessageMoveToAnotherDirectory(@TempDir Path tmp) throws Exception {
        Path first = tmp.resolve("first");
        try (EmbeddedBroker broker = start(first)) {
            Mqtt5BlockingClient subscriber = client(broker.port(), "backup-sub", new ConcurrentLinkedQueue<>());
            subscriber
                    .connectWith()
                    .cleanStart(false)
                    .sessionExpiryInterval(3600)
                    .send();
            subscriber
                    .subscribeWith()
                    .topicFilter("orders/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            subscriber.disconnect();
            Mqtt5BlockingClient publisher = client(broker.port(), "backup-pub", new ConcurrentLinkedQueue<>());
            publisher.connect();
            publisher
                    .publishWith()
                    .topic("status/plant")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .retain(true)
                    .payload("running".getBytes(StandardCharsets.UTF_8))
                    .send();
            for (int i = 0; i < 3; i++) {
                publisher
                        .publishWith()
                        .topic("orders/" + i)
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("order " + i).getBytes(StandardCharsets.UTF_8))
                        .send();
            }
            publisher.disconnect();
        }

        Path backup = tmp.resolve("backup.jsonl");
        Path second = tmp.resolve("second");
        Run export = herald("export", "--data", first.toString(), backup.toString());
        Run load = herald("import", "--data", second.toString(), backup.toString());
        Run again = herald("import", "--data", second.toString(), backup.toString());

        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(export.out())
                .contains("1 retained message, 1 session (3 queued or in-flight messages, 0 incoming QoS 2 ids)");
        List<String> lines = Files.readAllLines(backup);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).contains("\"topic\":\"status/plant\"");
        assertThat(lines.get(2)).contains("\"clientId\":\"backup-sub\"", "\"filter\":\"orders/#\"");
        assertThat(load.exit()).as(load.err()).isZero();
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("already holds sessions or retained messages");

        try (EmbeddedBroker broker = start(second)) {
            Queue<Mqtt5Publish> queued = new ConcurrentLinkedQueue<>();
            Mqtt5BlockingClient subscriber = client(broker.port(), "backup-sub", queued);
            boolean present = subscriber
                    .connectWith()
                    .cleanStart(false)
                    .sessionExpiryInterval(3600)
                    .send()
                    .isSessionPresent();
            assertThat(present).isTrue();
            await().atMost(WAIT).until(() -> queued.size() >= 3);
            assertThat(queued)
                    .extracting(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .containsExactly("order 0", "order 1", "order 2");

            Queue<Mqtt5Publish> retained = new ConcurrentLinkedQueue<>();
            Mqtt5BlockingClient reader = client(broker.port(), "backup-reader", retained);
            reader.connect();
            reader.subscribeWith().topicFilter("status/#").send();
            await().atMost(WAIT).until(() -> !retained.isEmpty());
            assertThat(retained.peek().isRetain()).isTrue();
            assertThat(new String(retained.peek().getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("running");
            subscriber.disconnect();
            reader.disconnect();
        }
    }
}

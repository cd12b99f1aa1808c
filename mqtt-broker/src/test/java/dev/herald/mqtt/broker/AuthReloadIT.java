package dev.herald.mqtt.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.typesafe.config.ConfigFactory;
import dev.herald.mqtt.auth.file.PasswordFile;
import dev.herald.mqtt.message.ConnAck;
import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PubAck;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.SubAck;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.ConnectReasonCode;
import dev.herald.mqtt.message.reason.PubAckReasonCode;
import dev.herald.mqtt.message.reason.SubAckReasonCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The password and ACL files are loaded again when they change, without a restart: a new user
 * connects, and an open connection's next PUBLISH and SUBSCRIBE follow the new ACL. A change that
 * cannot be loaded is logged and changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class AuthReloadIT {

    private static EmbeddedBroker start(Path dir) throws IOException {
        PasswordFile.addOrReplaceUser(dir.resolve("passwords"), "alice", "secret".toCharArray(), 4096);
        Files.writeString(dir.resolve("acl"), "user alice\ntopic readwrite a/#\nuser bob\ntopic readwrite a/#\n");
        return EmbeddedBroker.start(ConfigFactory.parseString("herald.mqtt { bind = \"127.0.0.1\", port = 0,"
                        + " auth { allow-anonymous = false, password-file = \"" + dir.resolve("passwords")
                        + "\", acl-file = \"" + dir.resolve("acl") + "\", reload-interval = 100ms } }")
                .withFallback(ConfigFactory.load()));
    }

    private static RawMqttClient connect(EmbeddedBroker broker, String id, String user, String password)
            throws IOException {
        RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5);
        ConnAck ack = raw.connect(
                new Connect(MqttVersion.V5, true, 60, id, Properties.EMPTY, null, user, RawMqttClient.utf8(password)));
        assertThat(ack.reasonCode()).isEqualTo(ConnectReasonCode.SUCCESS);
        return raw;
    }

    private static PubAckReasonCode publish(RawMqttClient client, String topic, int packetId) throws IOException {
        client.publish(topic, QoS.AT_LEAST_ONCE, packetId, false, "m");
        return client.expect(PubAck.class).reasonCode();
    }

    /** As an operator should change the file: write another, then rename it over the old one. */
    private static void replace(Path file, String contents) throws IOException {
        Path next = Files.writeString(file.resolveSibling(file.getFileName() + ".next"), contents);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** What the broker logs once it has loaded {@code change}. */
    private static void reloaded(EmbeddedBroker broker, IoChange change) {
        LoggingTestKit.info("Access control reloaded").expect(broker.context().system(), change(change));
    }

    @Test
    void aUserAddedToThePasswordFileConnectsWhileOpenConnectionsStay(@TempDir Path dir) throws IOException {
        try (EmbeddedBroker broker = start(dir);
                RawMqttClient alice = connect(broker, "alice-1", "alice", "secret")) {
            Mqtt5BlockingClient bob = Mqtt5Client.builder()
                    .identifier("bob-1")
                    .serverHost("127.0.0.1")
                    .serverPort(broker.port())
                    .simpleAuth()
                    .username("bob")
                    .password("hunter2".getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth()
                    .buildBlocking();
            Mqtt5ConnAckException refused = catchThrowableOfType(Mqtt5ConnAckException.class, bob::connect);
            assertThat(refused.getMqttMessage().getReasonCode())
                    .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);

            // What `herald passwd FILE bob` does.
            reloaded(
                    broker,
                    () -> PasswordFile.addOrReplaceUser(
                            dir.resolve("passwords"), "bob", "hunter2".toCharArray(), 4096));

            assertThat(bob.connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
            bob.disconnect();
            assertThat(publish(alice, "a/1", 1).isError()).isFalse();
        }
    }

    @Test
    void anAclChangeReachesTheNextPublishAndSubscribeOfAnOpenConnection(@TempDir Path dir) throws IOException {
        try (EmbeddedBroker broker = start(dir);
                RawMqttClient alice = connect(broker, "alice-2", "alice", "secret")) {
            assertThat(publish(alice, "a/1", 1).isError()).isFalse();

            reloaded(broker, () -> replace(dir.resolve("acl"), "user alice\ntopic readwrite b/#\n"));

            assertThat(publish(alice, "a/1", 2)).isEqualTo(PubAckReasonCode.NOT_AUTHORIZED);
            assertThat(publish(alice, "b/1", 3).isError()).isFalse();
            alice.subscribe(4, "a/#", QoS.AT_LEAST_ONCE);
            assertThat(alice.expect(SubAck.class).reasonCodes()).containsExactly(SubAckReasonCode.NOT_AUTHORIZED);
            alice.subscribe(5, "b/#", QoS.AT_LEAST_ONCE);
            assertThat(alice.expect(SubAck.class).reasonCodes()).containsExactly(SubAckReasonCode.GRANTED_QOS_1);
        }
    }

    @Test
    void aChangeThatCannotBeLoadedKeepsTheFilesInForce(@TempDir Path dir) throws IOException {
        try (EmbeddedBroker broker = start(dir);
                RawMqttClient alice = connect(broker, "alice-3", "alice", "secret")) {
            LoggingTestKit.warn("cannot be loaded, keeping the previous ones")
                    .expect(
                            broker.context().system(),
                            change(() -> replace(dir.resolve("acl"), "user alice\ntopics b/#\n")));

            assertThat(publish(alice, "a/1", 1).isError()).isFalse();
            assertThat(publish(alice, "b/1", 2)).isEqualTo(PubAckReasonCode.NOT_AUTHORIZED);
            connect(broker, "alice-4", "alice", "secret").close();
        }
    }

    /** A change to the files. */
    private interface IoChange {
        void run() throws IOException;
    }

    /** For LoggingTestKit's block, which may not throw IOException. */
    private static Supplier<Void> change(IoChange change) {
        return () -> {
            try {
                change.run();
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}

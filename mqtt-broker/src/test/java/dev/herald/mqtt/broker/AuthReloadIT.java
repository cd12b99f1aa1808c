package dev.herald.mqtt.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.typesafe.config.ConfigFactory;
import dev.herald.mqtt.auth.Authorizer;
import dev.herald.mqtt.auth.Permissions;
import dev.herald.mqtt.auth.file.PasswordFile;
import dev.herald.mqtt.message.ConnAck;
import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PubAck;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.SubAck;
import dev.herald.mqtt.message.property.MqttProperty;
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
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The password and ACL files are loaded again when they change, without a restart: a new user
 * connects, an open connection's next PUBLISH and SUBSCRIBE follow the new ACL, and the subscriptions
 * it no longer allows are taken back (from open connections, from a session when it is resumed, and
 * on re-authentication). A change that cannot be loaded is logged and changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class AuthReloadIT {

    private static final String BOTH_MAY_USE_A_AND_B =
            "user alice\ntopic readwrite a/#\ntopic readwrite b/#\nuser bob\ntopic readwrite a/#\ntopic readwrite b/#\n";

    private static EmbeddedBroker start(Path dir) throws IOException {
        PasswordFile.addOrReplaceUser(dir.resolve("passwords"), "alice", "secret".toCharArray(), 4096);
        Files.writeString(dir.resolve("acl"), BOTH_MAY_USE_A_AND_B);
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

            reloaded(broker, () -> replace(dir.resolve("acl"), "user alice\ntopic readwrite c/#\n"));

            assertThat(publish(alice, "a/1", 2)).isEqualTo(PubAckReasonCode.NOT_AUTHORIZED);
            assertThat(publish(alice, "c/1", 3).isError()).isFalse();
            alice.subscribe(4, "a/#", QoS.AT_LEAST_ONCE);
            assertThat(alice.expect(SubAck.class).reasonCodes()).containsExactly(SubAckReasonCode.NOT_AUTHORIZED);
            alice.subscribe(5, "c/#", QoS.AT_LEAST_ONCE);
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
            assertThat(publish(alice, "c/1", 2)).isEqualTo(PubAckReasonCode.NOT_AUTHORIZED);
            connect(broker, "alice-4", "alice", "secret").close();
        }
    }

    @Test
    void subscriptionsTheNewAclNoLongerAllowsAreTakenBackFromOpenConnections(@TempDir Path dir) throws IOException {
        PasswordFile.addOrReplaceUser(dir.resolve("passwords"), "bob", "hunter2".toCharArray(), 4096);
        try (EmbeddedBroker broker = start(dir);
                RawMqttClient alice = connect(broker, "alice-5", "alice", "secret");
                RawMqttClient bob = connect(broker, "bob-5", "bob", "hunter2")) {
            alice.subscribe(1, "a/#", QoS.AT_MOST_ONCE);
            alice.expect(SubAck.class);
            alice.subscribe(2, "$share/g/b/#", QoS.AT_MOST_ONCE);
            alice.expect(SubAck.class);

            LoggingTestKit.info("Removed the subscriptions of 'alice-5'")
                    .expect(
                            broker.context().system(),
                            change(() -> replace(
                                    dir.resolve("acl"),
                                    BOTH_MAY_USE_A_AND_B.replace(
                                            "user alice\ntopic readwrite a/#\n", "user alice\n"))));

            bob.publish("a/1", QoS.AT_LEAST_ONCE, 1, false, "no longer for alice");
            bob.expect(PubAck.class);
            bob.publish("b/end", QoS.AT_LEAST_ONCE, 2, false, "end");
            bob.expect(PubAck.class);
            assertThat(alice.expect(Publish.class).topic()).isEqualTo("b/end");
        }
    }

    @Test
    void aSessionResumedAfterTheAclChangedLosesWhatItNoLongerAllows(@TempDir Path dir) throws IOException {
        Properties keep = Properties.builder()
                .add(MqttProperty.SESSION_EXPIRY_INTERVAL, 600L)
                .build();
        Connect resume =
                new Connect(MqttVersion.V5, false, 60, "alice-7", keep, null, "alice", RawMqttClient.utf8("secret"));
        try (EmbeddedBroker broker = start(dir)) {
            try (RawMqttClient first = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
                first.connect(resume);
                first.subscribe(1, "a/#", QoS.AT_LEAST_ONCE);
                first.expect(SubAck.class);
                first.send(Disconnect.NORMAL);
            }
            TestClients.awaitOffline(broker, "alice-7");
            reloaded(broker, () -> replace(dir.resolve("acl"), "user alice\ntopic readwrite b/#\n"));

            try (RawMqttClient again = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
                LoggingTestKit.info("Removed the subscriptions of 'alice-7' (user 'alice') its permissions no longer"
                                + " allow: [a/#]")
                        .expect(broker.context().system(), change(() -> assertThat(
                                        again.connect(resume).sessionPresent())
                                .isTrue()));
            }
        }
    }

    @Test
    void aReauthenticationTakesBackWhatTheNewPermissionsNoLongerAllow(@TempDir Path dir) {
        PasswordFile.addOrReplaceUser(dir.resolve("passwords"), "alice", "secret".toCharArray(), 4096);
        Set<String> readable = ConcurrentHashMap.newKeySet();
        readable.addAll(List.of("a/#", "b/#"));
        Authorizer authorizer = client -> new Permissions() {
            @Override
            public boolean mayPublish(String topic) {
                return true;
            }

            @Override
            public boolean maySubscribe(String filter) {
                return readable.contains(filter);
            }
        };
        try (EmbeddedBroker broker = EmbeddedBroker.builder()
                .config(ConfigFactory.parseString(
                                "herald.mqtt { bind = \"127.0.0.1\", port = 0, auth.password-file = \""
                                        + dir.resolve("passwords") + "\" }")
                        .withFallback(ConfigFactory.load()))
                .authorizer(authorizer)
                .start()) {
            Mqtt5BlockingClient alice = Mqtt5Client.builder()
                    .identifier("alice-6")
                    .serverHost("127.0.0.1")
                    .serverPort(broker.port())
                    .enhancedAuth(new ScramMechanism("alice", "secret"))
                    .buildBlocking();
            Queue<Mqtt5Publish> received = TestClients.collect(alice);
            alice.connect();
            TestClients.subscribe(alice, "a/#", MqttQos.AT_LEAST_ONCE);
            TestClients.subscribe(alice, "b/#", MqttQos.AT_LEAST_ONCE);

            readable.remove("a/#");
            LoggingTestKit.info("Removed the subscriptions of 'alice-6'")
                    .expect(broker.context().system(), () -> {
                        alice.reauth();
                        return null;
                    });

            TestClients.publish(alice, "a/1", MqttQos.AT_LEAST_ONCE, "no longer readable");
            TestClients.publish(alice, "b/end", MqttQos.AT_LEAST_ONCE, "end");
            assertThat(TestClients.payloadsBefore(received, "b/end")).isEmpty();
            alice.disconnect();
        }
    }

    @Test
    void yourOwnAuthorizersChangeReachesOpenConnectionsWhenTheBrokerIsTold(@TempDir Path dir) throws IOException {
        PasswordFile.addOrReplaceUser(dir.resolve("passwords"), "alice", "secret".toCharArray(), 4096);
        Set<String> allowed = ConcurrentHashMap.newKeySet();
        allowed.addAll(List.of("a/#", "b/#"));
        // Like most authorizers, it answers with the rules of the moment, a plain object.
        Authorizer rules = client -> {
            Set<String> given = Set.copyOf(allowed);
            return new Permissions() {
                @Override
                public boolean mayPublish(String topic) {
                    return given.stream().anyMatch(filter -> topic.startsWith(filter.substring(0, 2)));
                }

                @Override
                public boolean maySubscribe(String filter) {
                    return given.contains(filter);
                }
            };
        };
        try (EmbeddedBroker broker = EmbeddedBroker.builder()
                        .config(ConfigFactory.parseString("herald.mqtt { bind = \"127.0.0.1\", port = 0,"
                                        + " auth.password-file = \"" + dir.resolve("passwords") + "\" }")
                                .withFallback(ConfigFactory.load()))
                        .authorizer(rules)
                        .start();
                RawMqttClient alice = connect(broker, "alice-8", "alice", "secret")) {
            alice.subscribe(1, "a/#", QoS.AT_MOST_ONCE);
            alice.expect(SubAck.class);
            alice.subscribe(2, "b/#", QoS.AT_MOST_ONCE);
            alice.expect(SubAck.class);

            allowed.remove("a/#");
            LoggingTestKit.info("Removed the subscriptions of 'alice-8' (user 'alice') its permissions no longer"
                            + " allow: [a/#]")
                    .expect(broker.context().system(), () -> {
                        broker.accessChanged();
                        return null;
                    });

            assertThat(publish(alice, "a/1", 3)).isEqualTo(PubAckReasonCode.NOT_AUTHORIZED);
            alice.publish("b/end", QoS.AT_MOST_ONCE, 0, false, "end");
            assertThat(alice.expect(Publish.class).topic()).isEqualTo("b/end");
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

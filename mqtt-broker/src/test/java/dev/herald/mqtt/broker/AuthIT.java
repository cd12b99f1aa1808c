package dev.herald.mqtt.broker;

import static dev.herald.mqtt.broker.TestClients.WAIT;
import static dev.herald.mqtt.broker.TestClients.collect;
import static dev.herald.mqtt.broker.TestClients.disconnectQuietly;
import static dev.herald.mqtt.broker.TestClients.payloadsBefore;
import static dev.herald.mqtt.broker.TestClients.publish;
import static dev.herald.mqtt.broker.TestClients.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.herald.mqtt.auth.file.PasswordFile;
import dev.herald.mqtt.message.Auth;
import dev.herald.mqtt.message.ConnAck;
import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PubAck;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.SubAck;
import dev.herald.mqtt.message.Subscribe;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.AuthReasonCode;
import dev.herald.mqtt.message.reason.ConnectReasonCode;
import dev.herald.mqtt.message.reason.DisconnectReasonCode;
import dev.herald.mqtt.message.reason.PubAckReasonCode;
import dev.herald.mqtt.message.reason.SubAckReasonCode;
import dev.herald.mqtt.testkit.HeraldBrokerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Authentication with a password file (plain CONNECT passwords and SCRAM-SHA-256 enhanced
 * authentication with re-authentication, MQTT 5.0 sections 3.1.4 and 4.12) and authorization with a
 * Mosquitto-style ACL file: denials are 0x86/0x87 in CONNACK (3.1.1: 0x04/0x05), 0x87 in PUBACK and
 * SUBACK (3.1.1: a normal PUBACK with the message dropped, SUBACK 0x80).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class AuthIT {

    private static final Path DIR = tempDir();

    @RegisterExtension
    static final HeraldBrokerExtension broker = new HeraldBrokerExtension("herald.mqtt.auth { allow-anonymous = false,"
            + " password-file = \"" + DIR.resolve("passwords") + "\", acl-file = \"" + DIR.resolve("acl") + "\" }");

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("herald-auth-it");
            PasswordFile.addOrReplaceUser(dir.resolve("passwords"), "alice", "secret".toCharArray(), 4096);
            PasswordFile.addOrReplaceUser(dir.resolve("passwords"), "bob", "hunter2".toCharArray(), 4096);
            Files.writeString(
                    dir.resolve("acl"),
                    String.join(
                            "\n",
                            "user alice",
                            "topic readwrite alice/#",
                            "topic read news/#",
                            "user bob",
                            "topic readwrite bob/#",
                            "topic write news/#",
                            "pattern readwrite devices/%c/#"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    void deleteFiles() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(DIR);
    }

    private static Mqtt5BlockingClient user(String id, String user, String password) {
        return Mqtt5Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .simpleAuth()
                .username(user)
                .password(password.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .buildBlocking();
    }

    private static RawMqttClient raw(MqttVersion version, String id, String user, String password) throws IOException {
        RawMqttClient raw = RawMqttClient.open(broker.port(), version);
        ConnAck ack = raw.connect(
                new Connect(version, true, 60, id, Properties.EMPTY, null, user, RawMqttClient.utf8(password)));
        assertThat(ack.reasonCode()).isEqualTo(ConnectReasonCode.SUCCESS);
        return raw;
    }

    @Test
    void theRightPasswordConnectsAndAWrongOneGets0x86() {
        Mqtt5BlockingClient alice = user("auth-ok", "alice", "secret");
        try {
            assertThat(alice.connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        } finally {
            disconnectQuietly(alice);
        }
        for (Mqtt5BlockingClient refused :
                List.of(user("auth-bad", "alice", "wrong"), user("auth-nobody", "mallory", "secret"))) {
            Mqtt5ConnAckException e = catchThrowableOfType(Mqtt5ConnAckException.class, refused::connect);
            assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        }
        assertThat(broker.broker().metrics().authFailures()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void anonymousClientsAreRefusedWhenNotAllowed() {
        Mqtt5ConnAckException v5 =
                catchThrowableOfType(Mqtt5ConnAckException.class, () -> TestClients.v5(broker.port(), "auth-anon5")
                        .connect());
        assertThat(v5.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED); // 0x87
        Mqtt3ConnAckException v3 =
                catchThrowableOfType(Mqtt3ConnAckException.class, () -> TestClients.v3(broker.port(), "auth-anon3")
                        .connect());
        assertThat(v3.getMqttMessage().getReturnCode()).isEqualTo(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED); // 0x05
        Mqtt3BlockingClient wrong = Mqtt3Client.builder()
                .identifier("auth-bad3")
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .simpleAuth()
                .username("bob")
                .password("nope".getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .buildBlocking();
        Mqtt3ConnAckException bad = catchThrowableOfType(Mqtt3ConnAckException.class, wrong::connect);
        assertThat(bad.getMqttMessage().getReturnCode())
                .isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD); // 0x04
    }

    @Test
    void aPublishOutsideTheAclGetsPubAck0x87AndGoesNowhere() throws Exception {
        Mqtt5BlockingClient alice = user("acl-reader", "alice", "secret");
        Queue<Mqtt5Publish> received = collect(alice);
        try (RawMqttClient bob = raw(MqttVersion.V5, "acl-writer", "bob", "hunter2")) {
            alice.connect();
            subscribe(alice, "alice/#", MqttQos.AT_LEAST_ONCE);
            subscribe(alice, "news/#", MqttQos.AT_LEAST_ONCE);
            long deniedBefore = broker.broker().metrics().droppedNotAuthorized();

            bob.publish("alice/inbox", QoS.AT_LEAST_ONCE, 1, false, "not yours");
            assertThat(bob.expect(PubAck.class).reasonCode()).isEqualTo(PubAckReasonCode.NOT_AUTHORIZED);
            bob.publish("alice/inbox", QoS.AT_MOST_ONCE, 0, false, "not yours either");
            bob.publish("news/end", QoS.AT_LEAST_ONCE, 2, false, "allowed");
            assertThat(bob.expect(PubAck.class).reasonCode()).isEqualTo(PubAckReasonCode.SUCCESS);

            assertThat(payloadsBefore(received, "news/end")).isEmpty();
            assertThat(broker.broker().metrics().droppedNotAuthorized() - deniedBefore)
                    .isEqualTo(2);
        } finally {
            disconnectQuietly(alice);
        }
    }

    @Test
    void aSubscribeOutsideTheAclGetsSubAck0x87PerFilter() throws Exception {
        try (RawMqttClient alice = raw(MqttVersion.V5, "acl-subscriber", "alice", "secret")) {
            alice.send(new Subscribe(
                    1,
                    Properties.EMPTY,
                    List.of(
                            new Subscription("alice/#", QoS.AT_LEAST_ONCE),
                            new Subscription("bob/#", QoS.AT_LEAST_ONCE),
                            new Subscription("news/+", QoS.AT_MOST_ONCE),
                            new Subscription("#", QoS.AT_MOST_ONCE))));
            assertThat(alice.expect(SubAck.class).reasonCodes())
                    .containsExactly(
                            SubAckReasonCode.GRANTED_QOS_1,
                            SubAckReasonCode.NOT_AUTHORIZED,
                            SubAckReasonCode.GRANTED_QOS_0,
                            SubAckReasonCode.NOT_AUTHORIZED);
        }
    }

    @Test
    void aWillOutsideTheAclRefusesTheConnect() throws Exception {
        Will outside = new Will("bob/status", RawMqttClient.utf8("gone"), QoS.AT_LEAST_ONCE, false, Properties.EMPTY);
        Will inside = new Will("alice/status", RawMqttClient.utf8("gone"), QoS.AT_LEAST_ONCE, false, Properties.EMPTY);
        for (MqttVersion version : List.of(MqttVersion.V5, MqttVersion.V3_1_1)) {
            try (RawMqttClient refused = RawMqttClient.open(broker.port(), version)) {
                ConnAck ack = refused.connect(new Connect(
                        version,
                        true,
                        60,
                        "will-out",
                        Properties.EMPTY,
                        outside,
                        "alice",
                        RawMqttClient.utf8("secret")));
                assertThat(ack.reasonCode()).isEqualTo(ConnectReasonCode.NOT_AUTHORIZED);
                if (version == MqttVersion.V3_1_1) {
                    assertThat(refused.lastFrame()).containsExactly(0x20, 0x02, 0x00, 0x05); // 3.1.1 return code 5
                }
            }
            try (RawMqttClient accepted = RawMqttClient.open(broker.port(), version)) {
                ConnAck ack = accepted.connect(new Connect(
                        version, true, 60, "will-in", Properties.EMPTY, inside, "alice", RawMqttClient.utf8("secret")));
                assertThat(ack.reasonCode()).isEqualTo(ConnectReasonCode.SUCCESS);
            }
        }
    }

    @Test
    void patternsGiveEachClientItsOwnTopics() throws Exception {
        try (RawMqttClient dev1 = raw(MqttVersion.V5, "dev1", "bob", "hunter2")) {
            dev1.publish("devices/dev1/temp", QoS.AT_LEAST_ONCE, 1, false, "21");
            assertThat(dev1.expect(PubAck.class).reasonCode().isError()).isFalse();
            dev1.publish("devices/dev2/temp", QoS.AT_LEAST_ONCE, 2, false, "21");
            assertThat(dev1.expect(PubAck.class).reasonCode()).isEqualTo(PubAckReasonCode.NOT_AUTHORIZED);
        }
    }

    @Test
    void v311DenialsAreAPlainPubAckWithTheMessageDroppedAndSubAck0x80() throws Exception {
        Mqtt5BlockingClient alice = user("acl-reader3", "alice", "secret");
        Queue<Mqtt5Publish> received = collect(alice);
        try (RawMqttClient bob = raw(MqttVersion.V3_1_1, "acl-writer3", "bob", "hunter2")) {
            alice.connect();
            subscribe(alice, "alice/#", MqttQos.AT_LEAST_ONCE);
            subscribe(alice, "news/#", MqttQos.AT_LEAST_ONCE);
            // MQTT 3.1.1 section 3.3.5: no way to tell the client; a positive acknowledgement is allowed.
            bob.publish("alice/inbox", QoS.AT_LEAST_ONCE, 1, false, "not yours");
            assertThat(bob.expect(PubAck.class).packetId()).isEqualTo(1);
            bob.publish("news/end3", QoS.AT_LEAST_ONCE, 2, false, "allowed");
            bob.expect(PubAck.class);
            assertThat(payloadsBefore(received, "news/end3")).isEmpty();
            bob.subscribe(3, "alice/#", QoS.AT_LEAST_ONCE);
            assertThat(bob.expect(SubAck.class).reasonCodes()).containsExactly(SubAckReasonCode.UNSPECIFIED_ERROR);
        } finally {
            disconnectQuietly(alice);
        }
    }

    private static Mqtt5BlockingClient scram(String id, ScramMechanism mechanism) {
        return Mqtt5Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .enhancedAuth(mechanism)
                .buildBlocking();
    }

    @Test
    void scramSha256AuthenticatesAndReAuthenticates() {
        ScramMechanism mechanism = new ScramMechanism("alice", "secret");
        Mqtt5BlockingClient alice = scram("scram-alice", mechanism);
        Queue<Mqtt5Publish> received = collect(alice);
        try {
            alice.connect();
            assertThat(mechanism.events).containsExactly("auth-success"); // the server signature checked out
            subscribe(alice, "alice/scram", MqttQos.AT_LEAST_ONCE);

            alice.reauth();
            await().atMost(WAIT).until(() -> mechanism.events.contains("reauth-success"));
            publish(alice, "alice/scram", MqttQos.AT_LEAST_ONCE, "still here");
            TestClients.awaitCount(received, 1);

            mechanism.password = "changed-but-wrong";
            // MQTT-4.12.1-2: a failed re-authentication ends the connection with DISCONNECT.
            Mqtt5DisconnectException refused = catchThrowableOfType(Mqtt5DisconnectException.class, alice::reauth);
            assertThat(refused.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED);
            assertThat(mechanism.events).contains("reauth-rejected NOT_AUTHORIZED");
            await().atMost(WAIT).until(() -> !alice.getState().isConnected());
        } finally {
            disconnectQuietly(alice);
        }
    }

    @Test
    void scramWithAWrongPasswordGets0x86() {
        ScramMechanism mechanism = new ScramMechanism("alice", "wrong");
        Mqtt5ConnAckException e =
                catchThrowableOfType(Mqtt5ConnAckException.class, () -> scram("scram-wrong", mechanism)
                        .connect());
        assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void anUnknownAuthenticationMethodGetsConnAck0x8C() throws Exception {
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            Properties props = Properties.builder()
                    .add(MqttProperty.AUTHENTICATION_METHOD, "KERBEROS")
                    .build();
            ConnAck ack = raw.connect(raw.connectPacket("kerberos", true, 60, props, null));
            assertThat(ack.reasonCode()).isEqualTo(ConnectReasonCode.BAD_AUTHENTICATION_METHOD);
            assertThat(raw.readUntilClosed(WAIT)).isEmpty();
        }
    }

    @Test
    void anAuthFromAClientThatConnectedWithoutAMethodIsAProtocolError() throws Exception {
        try (RawMqttClient bob = raw(MqttVersion.V5, "auth-out-of-turn", "bob", "hunter2")) {
            bob.send(new Auth(
                    AuthReasonCode.RE_AUTHENTICATE,
                    Properties.builder()
                            .add(MqttProperty.AUTHENTICATION_METHOD, "SCRAM-SHA-256")
                            .build()));
            assertThat(bob.readUntilClosed(WAIT)).containsExactly(new Disconnect(DisconnectReasonCode.PROTOCOL_ERROR));
        }
    }
}

package dev.herald.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.herald.mqtt.auth.AuthOutcome;
import dev.herald.mqtt.auth.AuthRequest;
import dev.herald.mqtt.auth.Permissions;
import dev.herald.mqtt.broker.EmbeddedBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sample of docs/authentication.md: an authenticator that is a typed behavior, and an authorizer. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class AuthenticatorBehaviorIT {

    // sample: authenticator
    /** Knows device tokens; a device that fails three times is banned until the broker restarts. */
    static Behavior<AuthRequest> deviceTokens(Map<String, String> tokenByDevice) {
        return failures(tokenByDevice, Map.of());
    }

    private static Behavior<AuthRequest> failures(Map<String, String> tokens, Map<String, Integer> failed) {
        return Behaviors.receive(AuthRequest.class)
                .onMessage(AuthRequest.class, request -> {
                    String device = request.client().username();
                    String given = request.password() == null
                            ? null
                            : request.password().utf8String();
                    if (failed.getOrDefault(device, 0) >= 3) {
                        request.replyTo().tell(AuthOutcome.refused(AuthOutcome.Reason.BANNED, device + " banned"));
                        return Behaviors.same();
                    }
                    if (device != null && given != null && given.equals(tokens.get(device))) {
                        request.replyTo().tell(AuthOutcome.accepted(device));
                        return Behaviors.same();
                    }
                    request.replyTo().tell(AuthOutcome.refused(AuthOutcome.Reason.BAD_CREDENTIALS, "bad token"));
                    Map<String, Integer> more = new java.util.HashMap<>(failed);
                    more.merge(String.valueOf(device), 1, Integer::sum);
                    return failures(tokens, Map.copyOf(more));
                })
                .build();
    }

    /** Each device publishes under its own name only, and reads commands sent to it. */
    static Permissions ownTopics(String device) {
        return new Permissions() {
            @Override
            public boolean mayPublish(String topic) {
                return topic.startsWith("devices/" + device + "/");
            }

            @Override
            public boolean maySubscribe(String filter) {
                return filter.equals("commands/" + device);
            }
        };
    }

    static EmbeddedBroker startBroker() {
        return EmbeddedBroker.builder()
                .authenticator(deviceTokens(Map.of("pump-7", "t0ken")), Duration.ofSeconds(2))
                .authorizer(client -> ownTopics(client.username()))
                .start();
    }
    // end sample

    private static Mqtt5BlockingClient device(EmbeddedBroker broker, String name, String token) {
        return Mqtt5Client.builder()
                .identifier(name + "-" + token)
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .simpleAuth()
                .username(name)
                .password(token.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .buildBlocking();
    }

    @Test
    void theBehaviorDecidesWhoConnectsAndTheAuthorizerWhatTheyDo() {
        try (EmbeddedBroker broker = startBroker()) {
            Mqtt5BlockingClient pump = device(broker, "pump-7", "t0ken");
            pump.connect();
            pump.publishWith()
                    .topic("devices/pump-7/pressure")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            Mqtt5PubAckException denied = catchThrowableOfType(Mqtt5PubAckException.class, () -> pump.publishWith()
                    .topic("devices/pump-8/pressure")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send());
            assertThat(denied.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
            pump.disconnect();

            for (int attempt = 0; attempt < 3; attempt++) {
                Mqtt5ConnAckException wrong =
                        catchThrowableOfType(Mqtt5ConnAckException.class, device(broker, "pump-9", "guess")::connect);
                assertThat(wrong.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
            }
            Mqtt5ConnAckException banned =
                    catchThrowableOfType(Mqtt5ConnAckException.class, device(broker, "pump-9", "guess")::connect);
            assertThat(banned.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.BANNED);
        }
    }
}

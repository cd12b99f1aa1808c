package dev.herald.mqtt.broker;

import static dev.herald.mqtt.broker.TestClients.WAIT;
import static dev.herald.mqtt.broker.TestClients.disconnectQuietly;
import static dev.herald.mqtt.broker.TestClients.v5;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import dev.herald.mqtt.message.ConnAck;
import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PubAck;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.ConnectReasonCode;
import dev.herald.mqtt.message.reason.DisconnectReasonCode;
import dev.herald.mqtt.message.reason.PubAckReasonCode;
import dev.herald.mqtt.testkit.HeraldBrokerExtension;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Request Problem Information (MQTT 5.0 section 3.1.2.11.7): absent or 1, an error PUBACK carries a
 * Reason String; 0, it carries none [MQTT-3.1.2-29], while a DISCONNECT from the server may and does
 * carry one either way. Request Response Information (section 3.1.2.11.6): the CONNACK carries the
 * configured Response Information only when the client asked for it (section 3.2.2.3.15).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class ProblemInformationIT {

    private static final String RESPONSE_INFORMATION = "responses/";

    /** Four levels, one over the limit below. */
    private static final String TOO_DEEP = "a/b/c/d";

    @RegisterExtension
    static final HeraldBrokerExtension broker = new HeraldBrokerExtension(
            "herald.mqtt { max-topic-levels = 3, response-information = \"" + RESPONSE_INFORMATION + "\" }");

    @Test
    void anErrorPubAckCarriesAReasonStringByDefault() throws Exception {
        PubAck ack = refusedPubAck("problem-default", Properties.EMPTY);
        assertThat(ack.properties().string(MqttProperty.REASON_STRING)).isNotBlank();
    }

    @Test
    void anErrorPubAckCarriesAReasonStringWhenProblemInformationIsRequested() throws Exception {
        PubAck ack = refusedPubAck("problem-1", requestProblemInformation(1));
        assertThat(ack.properties().string(MqttProperty.REASON_STRING)).isNotBlank();
    }

    @Test
    void anErrorPubAckCarriesNoReasonStringWhenProblemInformationIsDeclined() throws Exception {
        PubAck ack = refusedPubAck("problem-0", requestProblemInformation(0));
        // [MQTT-3.1.2-29]: no Reason String or User Property on anything but PUBLISH, CONNACK, DISCONNECT.
        assertThat(ack.properties().has(MqttProperty.REASON_STRING)).isFalse();
        assertThat(ack.properties().has(MqttProperty.USER_PROPERTY)).isFalse();
    }

    @ParameterizedTest(name = "Request Problem Information {0} (-1: absent)")
    @ValueSource(ints = {-1, 1, 0})
    void aDisconnectFromTheServerCarriesAReasonStringEitherWay(int requested) throws Exception {
        Properties props = requested < 0 ? Properties.EMPTY : requestProblemInformation(requested);
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            ConnAck ack = raw.connect(raw.connectPacket("problem-disconnect" + requested, true, 60, props, null));
            assertThat(ack.reasonCode()).isEqualTo(ConnectReasonCode.SUCCESS);
            raw.publish(TOO_DEEP, QoS.AT_MOST_ONCE, 0, false, "x"); // no PUBACK to carry the code

            List<MqttPacket> packets = raw.readUntilClosedVerbatim(WAIT);
            assertThat(packets).hasSize(1).first().isInstanceOf(Disconnect.class);
            Disconnect d = (Disconnect) packets.get(0);
            assertThat(d.reasonCode()).isEqualTo(DisconnectReasonCode.TOPIC_NAME_INVALID);
            assertThat(d.properties().string(MqttProperty.REASON_STRING)).isNotBlank();
        }
    }

    @ParameterizedTest(name = "Request Response Information {0} (-1: absent): Response Information {1}")
    @CsvSource({"1, true", "0, false", "-1, false"})
    void connAckCarriesResponseInformationOnlyWhenRequested(int requested, boolean expected) throws Exception {
        Properties props = requested < 0
                ? Properties.EMPTY
                : Properties.builder()
                        .add(MqttProperty.REQUEST_RESPONSE_INFORMATION, requested)
                        .build();
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            ConnAck ack = raw.connect(raw.connectPacket("response-info" + requested, true, 60, props, null));
            assertThat(ack.reasonCode()).isEqualTo(ConnectReasonCode.SUCCESS);
            assertThat(ack.properties().string(MqttProperty.RESPONSE_INFORMATION))
                    .isEqualTo(expected ? RESPONSE_INFORMATION : null);
            raw.send(Disconnect.NORMAL);
        }
    }

    @Test
    void aHiveMqClientThatAsksGetsResponseInformation() {
        Mqtt5BlockingClient client = v5(broker.port(), "response-info-hive");
        try {
            Mqtt5ConnAck ack = client.connectWith()
                    .restrictions()
                    .requestResponseInformation(true)
                    .applyRestrictions()
                    .send();
            assertThat(ack.getResponseInformation())
                    .hasValueSatisfying(info -> assertThat(info.toString()).isEqualTo(RESPONSE_INFORMATION));
        } finally {
            disconnectQuietly(client);
        }
    }

    private static Properties requestProblemInformation(int value) {
        return Properties.builder()
                .add(MqttProperty.REQUEST_PROBLEM_INFORMATION, value)
                .build();
    }

    /** Connects with the given CONNECT properties and sends a QoS 1 PUBLISH the broker must refuse with 0x90. */
    private PubAck refusedPubAck(String clientId, Properties connectProperties) throws Exception {
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            ConnAck connAck = raw.connect(raw.connectPacket(clientId, true, 60, connectProperties, null));
            assertThat(connAck.reasonCode()).isEqualTo(ConnectReasonCode.SUCCESS);
            raw.publish(TOO_DEEP, QoS.AT_LEAST_ONCE, 7, false, "x");
            PubAck ack = raw.expect(PubAck.class);
            assertThat(ack.packetId()).isEqualTo(7);
            assertThat(ack.reasonCode()).isEqualTo(PubAckReasonCode.TOPIC_NAME_INVALID);
            raw.send(Disconnect.NORMAL);
            return ack;
        }
    }
}

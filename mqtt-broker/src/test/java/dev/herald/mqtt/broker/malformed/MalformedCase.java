package dev.herald.mqtt.broker.malformed;

import static dev.herald.mqtt.broker.malformed.RawConnection.hex;

import dev.herald.mqtt.codec.MqttEncoder;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PacketType;
import dev.herald.mqtt.message.reason.ConnectReasonCode;
import dev.herald.mqtt.message.reason.DisconnectReasonCode;
import dev.herald.mqtt.message.reason.ReasonCode;
import java.util.stream.Stream;

/**
 * One piece of bad input and the broker's expected answer (MQTT 5.0 section 4.13): the version the
 * client connects with first ({@code null}: no CONNECT), the bytes, and the packet the broker answers
 * with before it closes the connection ({@code answer} null: it closes without a word).
 */
record MalformedCase(
        String name,
        String spec,
        MqttVersion connectFirst,
        byte[] bytes,
        PacketType answer,
        MqttVersion answerVersion,
        ReasonCode reason) {

    @Override
    public String toString() {
        return name;
    }

    static MalformedCase closes(String name, String spec, MqttVersion connectFirst, String hexBytes) {
        return new MalformedCase(name, spec, connectFirst, hex(hexBytes), null, null, null);
    }

    static MalformedCase connAck(String name, String spec, String hexBytes, MqttVersion in, ConnectReasonCode reason) {
        return new MalformedCase(name, spec, null, hex(hexBytes), PacketType.CONNACK, in, reason);
    }

    static MalformedCase disconnect(String name, String spec, byte[] bytes, DisconnectReasonCode reason) {
        return new MalformedCase(name, spec, MqttVersion.V5, bytes, PacketType.DISCONNECT, MqttVersion.V5, reason);
    }

    static MalformedCase disconnect(String name, String spec, String hexBytes, DisconnectReasonCode reason) {
        return disconnect(name, spec, hex(hexBytes), reason);
    }

    /** Before CONNECT was accepted: a CONNACK where the version allows, else just the close. */
    static Stream<MalformedCase> beforeConnect() {
        return Stream.of(
                closes("PINGREQ before CONNECT", "MQTT 5.0 3.1 [MQTT-3.1.0-1]", null, "C0 00"),
                connAck(
                        "CONNECT of MQTT 3.1 (MQIsdp, level 3)",
                        "MQTT 3.1.1 3.1.2.2 [MQTT-3.1.2-2]",
                        "10 15  00 06 4D 51 49 73 64 70  03  02  00 3C  00 07 72 61 77 2D 76 33 31",
                        MqttVersion.V3_1_1,
                        ConnectReasonCode.UNSUPPORTED_PROTOCOL_VERSION),
                connAck(
                        "CONNECT of level 6",
                        "MQTT 5.0 3.1.2.2",
                        "10 0D  00 04 4D 51 54 54  06  02  00 3C  00  00 00",
                        MqttVersion.V5,
                        ConnectReasonCode.UNSUPPORTED_PROTOCOL_VERSION),
                connAck(
                        "v5 CONNECT with the reserved flag set",
                        "MQTT 5.0 3.1.2.3 [MQTT-3.1.2-3], 4.13.1",
                        "10 0D  00 04 4D 51 54 54  05  03  00 3C  00  00 00",
                        MqttVersion.V5,
                        ConnectReasonCode.MALFORMED_PACKET),
                closes(
                        "3.1.1 CONNECT with the reserved flag set",
                        "MQTT 3.1.1 3.1.2.3 [MQTT-3.1.2-3]",
                        null,
                        "10 0C  00 04 4D 51 54 54  04  03  00 3C  00 00"));
    }

    /** On an accepted MQTT 5 connection: DISCONNECT with the reason code, then the close. */
    static Stream<MalformedCase> connectedV5() {
        byte[] secondConnect = MqttEncoder.encode(
                        RawConnection.connectPacket(MqttVersion.V5, "second-connect"), MqttVersion.V5)
                .toArray();
        return Stream.of(
                disconnect(
                        "PUBLISH with QoS 3",
                        "MQTT 5.0 3.3.1.2 [MQTT-3.3.1-4]",
                        "36 06  00 01 61  00 01  00",
                        DisconnectReasonCode.MALFORMED_PACKET),
                disconnect(
                        "SUBSCRIBE with reserved flags 0000",
                        "MQTT 5.0 3.8.1 [MQTT-3.8.1-1], 2.1.3",
                        "80 09  00 01  00  00 03 61 2F 23  00",
                        DisconnectReasonCode.MALFORMED_PACKET),
                disconnect(
                        "remaining length of 5 bytes",
                        "MQTT 5.0 1.5.5, 2.1.4",
                        "30 FF FF FF FF 01  00 01 61",
                        DisconnectReasonCode.MALFORMED_PACKET),
                disconnect(
                        "PUBLISH topic that is not UTF-8",
                        "MQTT 5.0 1.5.4 [MQTT-1.5.4-1]",
                        "30 06  00 03 61 FF 62  00",
                        DisconnectReasonCode.MALFORMED_PACKET),
                disconnect(
                        "wildcard in PUBLISH topic",
                        "MQTT 5.0 3.3.2.1 [MQTT-3.3.2-2]",
                        "30 06  00 03 61 2F 2B  00",
                        DisconnectReasonCode.MALFORMED_PACKET),
                disconnect(
                        "second CONNECT",
                        "MQTT 5.0 3.1 [MQTT-3.1.0-2]",
                        secondConnect,
                        DisconnectReasonCode.PROTOCOL_ERROR),
                disconnect(
                        "QoS 1 PUBLISH with packet id 0",
                        "MQTT 5.0 2.2.1 [MQTT-2.2.1-3]",
                        "32 06  00 01 61  00 00  00",
                        DisconnectReasonCode.PROTOCOL_ERROR),
                disconnect(
                        "PUBLISH with topic alias 0",
                        "MQTT 5.0 3.3.2.3.4 [MQTT-3.3.2-8]",
                        "30 09  00 03 61 2F 62  03 23 00 00",
                        DisconnectReasonCode.TOPIC_ALIAS_INVALID),
                disconnect(
                        "PUBLISH with a topic alias above the Topic Alias Maximum of the CONNACK",
                        "MQTT 5.0 3.3.2.3.4 [MQTT-3.3.2-9]",
                        "30 09  00 03 61 2F 62  03 23 FF FF",
                        DisconnectReasonCode.TOPIC_ALIAS_INVALID),
                disconnect(
                        "PUBLISH with an empty topic and a topic alias never set",
                        "MQTT 5.0 3.3.2.3.4",
                        "30 06  00 00  03 23 00 05",
                        DisconnectReasonCode.PROTOCOL_ERROR),
                disconnect(
                        "PUBLISH from the client with a subscription identifier",
                        "MQTT 5.0 3.3.4 [MQTT-3.3.4-6]",
                        "30 08  00 03 61 2F 62  02 0B 01",
                        DisconnectReasonCode.PROTOCOL_ERROR),
                disconnect(
                        "CONNACK from the client",
                        "MQTT 5.0 2.1.2, 4.13.2",
                        "20 03  00 00 00",
                        DisconnectReasonCode.PROTOCOL_ERROR),
                disconnect(
                        "SUBACK from the client",
                        "MQTT 5.0 2.1.2, 4.13.2",
                        "90 04  00 01  00  00",
                        DisconnectReasonCode.PROTOCOL_ERROR),
                disconnect(
                        "AUTH without authentication method",
                        "MQTT 5.0 3.15.2.2.2",
                        "F0 02  18  00",
                        DisconnectReasonCode.PROTOCOL_ERROR),
                disconnect(
                        "DISCONNECT with session expiry after 0 on CONNECT",
                        "MQTT 5.0 3.14.2.2.2",
                        "E0 07  00  05 11 00 00 00 3C",
                        DisconnectReasonCode.PROTOCOL_ERROR),
                disconnect(
                        "PUBLISH with an unknown property id 0x7F",
                        "MQTT 5.0 2.2.2.2",
                        "30 08  00 03 61 2F 62  02 7F 00",
                        DisconnectReasonCode.MALFORMED_PACKET),
                disconnect(
                        "PUBLISH with Payload Format Indicator twice",
                        "MQTT 5.0 3.3.2.3.2",
                        "30 0A  00 03 61 2F 62  04 01 00 01 00",
                        DisconnectReasonCode.PROTOCOL_ERROR));
    }

    /** On an accepted 3.1.1 connection, which has no DISCONNECT from the server: just the close. */
    static Stream<MalformedCase> connectedV311() {
        return Stream.of(
                closes(
                        "3.1.1 PUBLISH with QoS 3",
                        "MQTT 3.1.1 3.3.1.2 [MQTT-3.3.1-4]",
                        MqttVersion.V3_1_1,
                        "36 05  00 01 61  00 01"),
                closes("3.1.1 AUTH (reserved type 15)", "MQTT 3.1.1 2.2.1, 4.8", MqttVersion.V3_1_1, "F0 00"));
    }
}

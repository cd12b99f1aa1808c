package dev.herald.mqtt.codec;

import dev.herald.mqtt.message.reason.ConnectReasonCode;
import dev.herald.mqtt.message.reason.DisconnectReasonCode;
import dev.herald.mqtt.message.reason.ReasonCode;

/**
 * Why bytes are not a valid packet: the MQTT 5 reason code to answer with and a short reason. For an
 * unsupported protocol version the code is {@link ConnectReasonCode#UNSUPPORTED_PROTOCOL_VERSION} and
 * {@code protocolLevel} holds the level the CONNECT asked for; any other error found in a CONNECT
 * carries the level too, so the CONNACK can be answered in the client's version (otherwise it is 0).
 */
public record DecodeError(ReasonCode reasonCode, String reason, int protocolLevel) implements DecodeResult {

    public static DecodeError malformed(String reason) {
        return new DecodeError(DisconnectReasonCode.MALFORMED_PACKET, reason, 0);
    }

    public static DecodeError protocolError(String reason) {
        return new DecodeError(DisconnectReasonCode.PROTOCOL_ERROR, reason, 0);
    }

    public static DecodeError tooLarge(long size, long maximum) {
        return new DecodeError(
                DisconnectReasonCode.PACKET_TOO_LARGE, "packet of " + size + " bytes exceeds maximum " + maximum, 0);
    }

    public static DecodeError unsupportedVersion(int level, String reason) {
        return new DecodeError(ConnectReasonCode.UNSUPPORTED_PROTOCOL_VERSION, reason, level);
    }

    /** The same error, marked with the protocol level of the CONNECT it was found in. */
    public DecodeError withProtocolLevel(int level) {
        return new DecodeError(reasonCode, reason, level);
    }

    /** The same failure as a CONNACK reason code, for errors found before the connection is accepted. */
    public ConnectReasonCode connectReasonCode() {
        ConnectReasonCode code = ConnectReasonCode.of(reasonCode.code());
        return code != null ? code : ConnectReasonCode.UNSPECIFIED_ERROR;
    }

    /** The same failure as a DISCONNECT reason code, for errors on an accepted connection. */
    public DisconnectReasonCode disconnectReasonCode() {
        DisconnectReasonCode code = DisconnectReasonCode.of(reasonCode.code());
        return code != null ? code : DisconnectReasonCode.PROTOCOL_ERROR;
    }

    @Override
    public String toString() {
        return String.format("DecodeError(0x%02X %s: %s)", reasonCode.code(), reasonCode, reason);
    }
}

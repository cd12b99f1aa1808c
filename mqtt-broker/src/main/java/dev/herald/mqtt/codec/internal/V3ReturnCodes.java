package dev.herald.mqtt.codec.internal;

import dev.herald.mqtt.message.reason.ConnectReasonCode;
import dev.herald.mqtt.message.reason.SubAckReasonCode;

/** The 3.1.1 CONNACK return codes and SUBACK codes, mapped to and from the MQTT 5 reason codes. */
final class V3ReturnCodes {

    private static final ConnectReasonCode[] CONNECT = {
        ConnectReasonCode.SUCCESS,
        ConnectReasonCode.UNSUPPORTED_PROTOCOL_VERSION,
        ConnectReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
        ConnectReasonCode.SERVER_UNAVAILABLE,
        ConnectReasonCode.BAD_USER_NAME_OR_PASSWORD,
        ConnectReasonCode.NOT_AUTHORIZED
    };

    private V3ReturnCodes() {}

    static ConnectReasonCode connectReasonCode(int returnCode) {
        return returnCode < CONNECT.length ? CONNECT[returnCode] : null;
    }

    /** The nearest 3.1.1 return code (section 3.2.2.3) for an MQTT 5 reason. */
    static int connectReturnCode(ConnectReasonCode reason) {
        return switch (reason) {
            case SUCCESS -> 0x00;
            case UNSUPPORTED_PROTOCOL_VERSION -> 0x01;
            case CLIENT_IDENTIFIER_NOT_VALID -> 0x02;
            case BAD_USER_NAME_OR_PASSWORD, BAD_AUTHENTICATION_METHOD -> 0x04;
            case NOT_AUTHORIZED, BANNED -> 0x05;
            default -> 0x03; // Server unavailable
        };
    }

    /** 3.1.1 SUBACK codes are 0, 1, 2 and 0x80 only (section 3.9.3). */
    static SubAckReasonCode subAckReasonCode(int code) {
        return code <= 2 || code == 0x80 ? SubAckReasonCode.of(code) : null;
    }

    static int subAckReturnCode(SubAckReasonCode reason) {
        return reason.isError() ? 0x80 : reason.code();
    }
}

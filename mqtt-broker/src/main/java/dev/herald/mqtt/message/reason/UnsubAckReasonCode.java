package dev.herald.mqtt.message.reason;

/** Reason codes of UNSUBACK, one per filter (MQTT 5.0 section 3.11.3). */
public enum UnsubAckReasonCode implements ReasonCode {
    SUCCESS(0x00),
    NO_SUBSCRIPTION_EXISTED(0x11),
    UNSPECIFIED_ERROR(0x80),
    IMPLEMENTATION_SPECIFIC_ERROR(0x83),
    NOT_AUTHORIZED(0x87),
    TOPIC_FILTER_INVALID(0x8F),
    PACKET_IDENTIFIER_IN_USE(0x91);

    private static final UnsubAckReasonCode[] BY_CODE = ReasonCode.table(values());
    private final int code;

    UnsubAckReasonCode(int code) {
        this.code = code;
    }

    @Override
    public int code() {
        return code;
    }

    /** The constant for a wire value, or null when the value is not valid here. */
    public static UnsubAckReasonCode of(int code) {
        return code >= 0 && code < 256 ? BY_CODE[code] : null;
    }
}

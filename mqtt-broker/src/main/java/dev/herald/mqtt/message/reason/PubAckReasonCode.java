package dev.herald.mqtt.message.reason;

/** Reason codes of PUBACK and PUBREC, which share one set (MQTT 5.0 sections 3.4.2.1 and 3.5.2.1). */
public enum PubAckReasonCode implements ReasonCode {
    SUCCESS(0x00),
    NO_MATCHING_SUBSCRIBERS(0x10),
    UNSPECIFIED_ERROR(0x80),
    IMPLEMENTATION_SPECIFIC_ERROR(0x83),
    NOT_AUTHORIZED(0x87),
    TOPIC_NAME_INVALID(0x90),
    PACKET_IDENTIFIER_IN_USE(0x91),
    QUOTA_EXCEEDED(0x97),
    PAYLOAD_FORMAT_INVALID(0x99);

    private static final PubAckReasonCode[] BY_CODE = ReasonCode.table(values());
    private final int code;

    PubAckReasonCode(int code) {
        this.code = code;
    }

    @Override
    public int code() {
        return code;
    }

    /** The constant for a wire value, or null when the value is not valid here. */
    public static PubAckReasonCode of(int code) {
        return code >= 0 && code < 256 ? BY_CODE[code] : null;
    }
}

package dev.herald.mqtt.message.reason;

/** Reason codes of PUBREL and PUBCOMP, which share one set (MQTT 5.0 sections 3.6.2.1 and 3.7.2.1). */
public enum PubRelReasonCode implements ReasonCode {
    SUCCESS(0x00),
    PACKET_IDENTIFIER_NOT_FOUND(0x92);

    private static final PubRelReasonCode[] BY_CODE = ReasonCode.table(values());
    private final int code;

    PubRelReasonCode(int code) {
        this.code = code;
    }

    @Override
    public int code() {
        return code;
    }

    /** The constant for a wire value, or null when the value is not valid here. */
    public static PubRelReasonCode of(int code) {
        return code >= 0 && code < 256 ? BY_CODE[code] : null;
    }
}

package dev.herald.mqtt.message.reason;

/** Reason codes of AUTH (MQTT 5.0 section 3.15.2.1). */
public enum AuthReasonCode implements ReasonCode {
    SUCCESS(0x00),
    CONTINUE_AUTHENTICATION(0x18),
    RE_AUTHENTICATE(0x19);

    private static final AuthReasonCode[] BY_CODE = ReasonCode.table(values());
    private final int code;

    AuthReasonCode(int code) {
        this.code = code;
    }

    @Override
    public int code() {
        return code;
    }

    /** The constant for a wire value, or null when the value is not valid here. */
    public static AuthReasonCode of(int code) {
        return code >= 0 && code < 256 ? BY_CODE[code] : null;
    }
}

package dev.herald.mqtt.message.reason;

/** A one-byte MQTT 5 reason code; values of 0x80 and above report a failure. */
public interface ReasonCode {

    int code();

    default boolean isError() {
        return code() >= 0x80;
    }

    /** A lookup table from wire value to constant, with null where a value is not valid. */
    @SuppressWarnings("unchecked")
    static <E extends Enum<E> & ReasonCode> E[] table(E[] values) {
        E[] byCode = (E[]) java.lang.reflect.Array.newInstance(values.getClass().getComponentType(), 256);
        for (E value : values) {
            byCode[value.code()] = value;
        }
        return byCode;
    }
}

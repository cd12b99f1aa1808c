package dev.herald.mqtt.message;

/** Quality of service levels (MQTT 5.0 section 4.3). */
public enum QoS {
    AT_MOST_ONCE,
    AT_LEAST_ONCE,
    EXACTLY_ONCE;

    private static final QoS[] BY_VALUE = values();

    public int value() {
        return ordinal();
    }

    /** The QoS for a wire value 0..2, or null for anything else (3 is malformed). */
    public static QoS of(int value) {
        return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    }

    public static QoS min(QoS a, QoS b) {
        return a.ordinal() <= b.ordinal() ? a : b;
    }
}

package dev.herald.mqtt.message;

/** The protocol versions Herald speaks, with the protocol level a CONNECT carries for each. */
public enum MqttVersion {
    V3_1_1(4),
    V5(5);

    private final int level;

    MqttVersion(int level) {
        this.level = level;
    }

    public int level() {
        return level;
    }

    /** The version for a protocol level, or null when Herald does not speak it. */
    public static MqttVersion ofLevel(int level) {
        return level == 5 ? V5 : level == 4 ? V3_1_1 : null;
    }
}

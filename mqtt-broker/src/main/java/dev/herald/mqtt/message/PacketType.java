package dev.herald.mqtt.message;

/** Control packet types with their wire values (MQTT 5.0 section 2.1.2). */
public enum PacketType {
    RESERVED,
    CONNECT,
    CONNACK,
    PUBLISH,
    PUBACK,
    PUBREC,
    PUBREL,
    PUBCOMP,
    SUBSCRIBE,
    SUBACK,
    UNSUBSCRIBE,
    UNSUBACK,
    PINGREQ,
    PINGRESP,
    DISCONNECT,
    AUTH;

    private static final PacketType[] BY_VALUE = values();

    public int value() {
        return ordinal();
    }

    /** The type for the high nibble of a fixed header byte. */
    public static PacketType of(int value) {
        return BY_VALUE[value & 0x0F];
    }
}

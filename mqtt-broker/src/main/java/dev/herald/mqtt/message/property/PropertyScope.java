package dev.herald.mqtt.message.property;

/** Where a property may stand: a packet type, or the Will Properties of a CONNECT. */
public enum PropertyScope {
    CONNECT,
    CONNACK,
    PUBLISH,
    WILL,
    PUBACK,
    PUBREC,
    PUBREL,
    PUBCOMP,
    SUBSCRIBE,
    SUBACK,
    UNSUBSCRIBE,
    UNSUBACK,
    DISCONNECT,
    AUTH;

    int bit() {
        return 1 << ordinal();
    }
}

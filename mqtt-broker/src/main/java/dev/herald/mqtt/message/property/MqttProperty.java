package dev.herald.mqtt.message.property;

import static dev.herald.mqtt.message.property.PropertyScope.AUTH;
import static dev.herald.mqtt.message.property.PropertyScope.CONNACK;
import static dev.herald.mqtt.message.property.PropertyScope.CONNECT;
import static dev.herald.mqtt.message.property.PropertyScope.DISCONNECT;
import static dev.herald.mqtt.message.property.PropertyScope.PUBACK;
import static dev.herald.mqtt.message.property.PropertyScope.PUBCOMP;
import static dev.herald.mqtt.message.property.PropertyScope.PUBLISH;
import static dev.herald.mqtt.message.property.PropertyScope.PUBREC;
import static dev.herald.mqtt.message.property.PropertyScope.PUBREL;
import static dev.herald.mqtt.message.property.PropertyScope.SUBACK;
import static dev.herald.mqtt.message.property.PropertyScope.SUBSCRIBE;
import static dev.herald.mqtt.message.property.PropertyScope.UNSUBACK;
import static dev.herald.mqtt.message.property.PropertyScope.UNSUBSCRIBE;
import static dev.herald.mqtt.message.property.PropertyScope.WILL;
import static dev.herald.mqtt.message.property.PropertyType.BINARY;
import static dev.herald.mqtt.message.property.PropertyType.BYTE;
import static dev.herald.mqtt.message.property.PropertyType.FOUR_BYTE_INTEGER;
import static dev.herald.mqtt.message.property.PropertyType.TWO_BYTE_INTEGER;
import static dev.herald.mqtt.message.property.PropertyType.UTF8_STRING;
import static dev.herald.mqtt.message.property.PropertyType.UTF8_STRING_PAIR;
import static dev.herald.mqtt.message.property.PropertyType.VARIABLE_BYTE_INTEGER;

/** The MQTT 5 properties (MQTT 5.0 section 2.2.2.2, table 2-4): identifier, type and scopes. */
public enum MqttProperty {
    PAYLOAD_FORMAT_INDICATOR(0x01, BYTE, PUBLISH, WILL),
    MESSAGE_EXPIRY_INTERVAL(0x02, FOUR_BYTE_INTEGER, PUBLISH, WILL),
    CONTENT_TYPE(0x03, UTF8_STRING, PUBLISH, WILL),
    RESPONSE_TOPIC(0x08, UTF8_STRING, PUBLISH, WILL),
    CORRELATION_DATA(0x09, BINARY, PUBLISH, WILL),
    SUBSCRIPTION_IDENTIFIER(0x0B, VARIABLE_BYTE_INTEGER, PUBLISH, SUBSCRIBE),
    SESSION_EXPIRY_INTERVAL(0x11, FOUR_BYTE_INTEGER, CONNECT, CONNACK, DISCONNECT),
    ASSIGNED_CLIENT_IDENTIFIER(0x12, UTF8_STRING, CONNACK),
    SERVER_KEEP_ALIVE(0x13, TWO_BYTE_INTEGER, CONNACK),
    AUTHENTICATION_METHOD(0x15, UTF8_STRING, CONNECT, CONNACK, AUTH),
    AUTHENTICATION_DATA(0x16, BINARY, CONNECT, CONNACK, AUTH),
    REQUEST_PROBLEM_INFORMATION(0x17, BYTE, CONNECT),
    WILL_DELAY_INTERVAL(0x18, FOUR_BYTE_INTEGER, WILL),
    REQUEST_RESPONSE_INFORMATION(0x19, BYTE, CONNECT),
    RESPONSE_INFORMATION(0x1A, UTF8_STRING, CONNACK),
    SERVER_REFERENCE(0x1C, UTF8_STRING, CONNACK, DISCONNECT),
    REASON_STRING(0x1F, UTF8_STRING, CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH),
    RECEIVE_MAXIMUM(0x21, TWO_BYTE_INTEGER, CONNECT, CONNACK),
    TOPIC_ALIAS_MAXIMUM(0x22, TWO_BYTE_INTEGER, CONNECT, CONNACK),
    TOPIC_ALIAS(0x23, TWO_BYTE_INTEGER, PUBLISH),
    MAXIMUM_QOS(0x24, BYTE, CONNACK),
    RETAIN_AVAILABLE(0x25, BYTE, CONNACK),
    USER_PROPERTY(
            0x26,
            UTF8_STRING_PAIR,
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
            AUTH),
    MAXIMUM_PACKET_SIZE(0x27, FOUR_BYTE_INTEGER, CONNECT, CONNACK),
    WILDCARD_SUBSCRIPTION_AVAILABLE(0x28, BYTE, CONNACK),
    SUBSCRIPTION_IDENTIFIER_AVAILABLE(0x29, BYTE, CONNACK),
    SHARED_SUBSCRIPTION_AVAILABLE(0x2A, BYTE, CONNACK);

    private static final MqttProperty[] BY_ID = new MqttProperty[0x2B];

    static {
        for (MqttProperty p : values()) {
            BY_ID[p.id] = p;
        }
    }

    private final int id;
    private final PropertyType type;
    private final int scopes;

    MqttProperty(int id, PropertyType type, PropertyScope... scopes) {
        this.id = id;
        this.type = type;
        int bits = 0;
        for (PropertyScope scope : scopes) {
            bits |= scope.bit();
        }
        this.scopes = bits;
    }

    public int id() {
        return id;
    }

    public PropertyType type() {
        return type;
    }

    public boolean allowedIn(PropertyScope scope) {
        return (scopes & scope.bit()) != 0;
    }

    /** Whether the property may appear more than once in one property list. */
    public boolean repeatable() {
        return this == USER_PROPERTY || this == SUBSCRIPTION_IDENTIFIER;
    }

    /** The property for an identifier, or null when the identifier is unknown. */
    public static MqttProperty of(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}

package dev.herald.mqtt.message.property;

/** The wire data types of property values (MQTT 5.0 section 2.2.2.2) and the Java type each maps to. */
public enum PropertyType {
    /** One byte, as an Integer. */
    BYTE,
    /** Two Byte Integer, as an Integer. */
    TWO_BYTE_INTEGER,
    /** Four Byte Integer (unsigned), as a Long. */
    FOUR_BYTE_INTEGER,
    /** Variable Byte Integer, as an Integer. */
    VARIABLE_BYTE_INTEGER,
    /** UTF-8 Encoded String, as a String. */
    UTF8_STRING,
    /** Binary Data, as a ByteString. */
    BINARY,
    /** UTF-8 String Pair, as a UserProperty. */
    UTF8_STRING_PAIR
}

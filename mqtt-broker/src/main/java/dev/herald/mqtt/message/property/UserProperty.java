package dev.herald.mqtt.message.property;

import java.util.Objects;

/** A User Property name/value pair (MQTT 5.0 section 3.3.2.3.7); the order of pairs is kept. */
public record UserProperty(String name, String value) {
    public UserProperty {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}

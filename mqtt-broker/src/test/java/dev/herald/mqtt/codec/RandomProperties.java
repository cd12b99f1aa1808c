package dev.herald.mqtt.codec;

import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.property.PropertyScope;
import dev.herald.mqtt.message.property.UserProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Random property lists valid for a scope (MQTT 5.0 section 2.2.2.2, table 2-4): each property at most
 * once except User Property (and Subscription Identifier in PUBLISH), values in their valid ranges.
 */
final class RandomProperties {

    private final Random random;
    private final RandomText text;

    RandomProperties(Random random, RandomText text) {
        this.random = random;
        this.text = text;
    }

    Properties of(PropertyScope scope) {
        if (random.nextInt(4) == 0) {
            return Properties.EMPTY;
        }
        List<Object[]> entries = new ArrayList<>();
        boolean hasMethod = false;
        for (MqttProperty p : MqttProperty.values()) {
            if (!p.allowedIn(scope) || random.nextInt(3) != 0) {
                continue;
            }
            if (p == MqttProperty.AUTHENTICATION_DATA && !hasMethod) {
                continue; // a Protocol Error without a method (section 3.1.2.11.10)
            }
            hasMethod |= p == MqttProperty.AUTHENTICATION_METHOD;
            int times = times(p, scope);
            for (int i = 0; i < times; i++) {
                entries.add(new Object[] {p, value(p)});
            }
        }
        Collections.shuffle(entries, random);
        Properties.Builder builder = Properties.builder();
        for (Object[] e : entries) {
            builder.add((MqttProperty) e[0], e[1]);
        }
        return builder.build();
    }

    private int times(MqttProperty p, PropertyScope scope) {
        if (p == MqttProperty.USER_PROPERTY) {
            return 1 + random.nextInt(3);
        }
        if (p == MqttProperty.SUBSCRIPTION_IDENTIFIER && scope == PropertyScope.PUBLISH) {
            return 1 + random.nextInt(3);
        }
        return 1;
    }

    private Object value(MqttProperty p) {
        return switch (p.type()) {
            case BYTE -> random.nextInt(2);
            case TWO_BYTE_INTEGER ->
                p == MqttProperty.TOPIC_ALIAS_MAXIMUM
                        ? random.nextInt(0x10000)
                        : 1 + random.nextInt(0xFFFF); // Topic Alias and Receive Maximum cannot be 0
            case FOUR_BYTE_INTEGER ->
                p == MqttProperty.MAXIMUM_PACKET_SIZE
                        ? 1 + (random.nextLong() & 0xFFFF_FFFEL)
                        : random.nextLong() & 0xFFFF_FFFFL;
            case VARIABLE_BYTE_INTEGER -> 1 + random.nextInt((1 << (7 * (1 + random.nextInt(4)))) - 1);
            case UTF8_STRING -> p == MqttProperty.RESPONSE_TOPIC ? text.topicName() : text.text(12);
            case BINARY -> text.bytes(24);
            case UTF8_STRING_PAIR -> new UserProperty(text.text(8), text.text(8));
        };
    }
}

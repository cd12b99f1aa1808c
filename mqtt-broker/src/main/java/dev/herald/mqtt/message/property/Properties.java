package dev.herald.mqtt.message.property;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.util.ByteString;

/**
 * An immutable MQTT 5 property list in wire order. Values are typed by {@link PropertyType}: Integer,
 * Long, String, ByteString or UserProperty. Packets without properties share {@link #EMPTY}.
 */
public final class Properties {

    public static final Properties EMPTY = new Properties(new MqttProperty[0], new Object[0]);

    private final MqttProperty[] keys;
    private final Object[] values;

    private Properties(MqttProperty[] keys, Object[] values) {
        this.keys = keys;
        this.values = values;
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean isEmpty() {
        return keys.length == 0;
    }

    public int size() {
        return keys.length;
    }

    public MqttProperty key(int index) {
        return keys[index];
    }

    public Object value(int index) {
        return values[index];
    }

    public boolean has(MqttProperty property) {
        return indexOf(property) >= 0;
    }

    /** The first value of a property, or null when it is absent. */
    public Object get(MqttProperty property) {
        int i = indexOf(property);
        return i < 0 ? null : values[i];
    }

    /** An Integer-typed property (byte, two byte or variable byte integer), or the fallback. */
    public int intValue(MqttProperty property, int ifAbsent) {
        Object v = get(property);
        return v == null ? ifAbsent : (Integer) v;
    }

    /** A Four Byte Integer property, or the fallback. */
    public long longValue(MqttProperty property, long ifAbsent) {
        Object v = get(property);
        return v == null ? ifAbsent : (Long) v;
    }

    public String string(MqttProperty property) {
        return (String) get(property);
    }

    public ByteString binary(MqttProperty property) {
        return (ByteString) get(property);
    }

    public List<UserProperty> userProperties() {
        List<UserProperty> out = new ArrayList<>(2);
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == MqttProperty.USER_PROPERTY) {
                out.add((UserProperty) values[i]);
            }
        }
        return out;
    }

    public List<Integer> subscriptionIdentifiers() {
        List<Integer> out = new ArrayList<>(1);
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == MqttProperty.SUBSCRIPTION_IDENTIFIER) {
                out.add((Integer) values[i]);
            }
        }
        return out;
    }

    /** A copy without the given properties, or this list when none of them is present. */
    public Properties without(MqttProperty... remove) {
        Builder b = new Builder();
        boolean changed = false;
        outer:
        for (int i = 0; i < keys.length; i++) {
            for (MqttProperty r : remove) {
                if (keys[i] == r) {
                    changed = true;
                    continue outer;
                }
            }
            b.add(keys[i], values[i]);
        }
        return changed ? b.build() : this;
    }

    /** A builder that starts with this list's entries. */
    public Builder toBuilder() {
        Builder b = new Builder();
        for (int i = 0; i < keys.length; i++) {
            b.add(keys[i], values[i]);
        }
        return b;
    }

    private int indexOf(MqttProperty property) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == property) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Properties p && Arrays.equals(keys, p.keys) && Arrays.equals(values, p.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(keys) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < keys.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(keys[i]).append('=').append(values[i]);
        }
        return sb.append('}').toString();
    }

    /** Collects entries in order; {@link #add} checks each value against its property's type. */
    public static final class Builder {
        private MqttProperty[] keys = new MqttProperty[4];
        private Object[] values = new Object[4];
        private int size;

        private Builder() {}

        public Builder add(MqttProperty property, Object value) {
            if (!fits(property.type(), value)) {
                throw new IllegalArgumentException(property + " takes a " + property.type() + ", not " + value);
            }
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            keys[size] = property;
            values[size++] = value;
            return this;
        }

        /** Replaces every entry of the property with one value (or removes it when value is null). */
        public Builder set(MqttProperty property, Object value) {
            int kept = 0;
            for (int i = 0; i < size; i++) {
                if (keys[i] != property) {
                    keys[kept] = keys[i];
                    values[kept++] = values[i];
                }
            }
            Arrays.fill(keys, kept, size, null);
            Arrays.fill(values, kept, size, null);
            size = kept;
            return value == null ? this : add(property, value);
        }

        public Builder userProperty(String name, String value) {
            return add(MqttProperty.USER_PROPERTY, new UserProperty(name, value));
        }

        public Builder reasonString(String reason) {
            return add(MqttProperty.REASON_STRING, reason);
        }

        public Properties build() {
            return size == 0 ? EMPTY : new Properties(Arrays.copyOf(keys, size), Arrays.copyOf(values, size));
        }

        private static boolean fits(PropertyType type, Object value) {
            return switch (type) {
                case BYTE -> value instanceof Integer i && i >= 0 && i <= 0xFF;
                case TWO_BYTE_INTEGER -> value instanceof Integer i && i >= 0 && i <= 0xFFFF;
                case VARIABLE_BYTE_INTEGER -> value instanceof Integer i && i >= 0 && i <= 268_435_455;
                case FOUR_BYTE_INTEGER -> value instanceof Long l && l >= 0 && l <= 0xFFFF_FFFFL;
                case UTF8_STRING -> value instanceof String;
                case BINARY -> value instanceof ByteString b && b.length() <= 0xFFFF;
                case UTF8_STRING_PAIR -> value instanceof UserProperty;
            };
        }
    }
}

package dev.herald.mqtt.store.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.RetainHandling;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.message.Topics;
import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.property.PropertyScope;
import dev.herald.mqtt.message.property.UserProperty;
import dev.herald.mqtt.store.internal.StoredSession.StoredSubscription;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.apache.pekko.util.ByteString;

/**
 * The JSON forms of the records {@link StoreTransfer} exports and imports: messages with their
 * properties in wire order, sessions with subscriptions and Will, and the checked readers that name
 * what is wrong with a field.
 */
final class TransferJson {

    static final ObjectMapper JSON = new ObjectMapper();

    private TransferJson() {}

    static ObjectNode publish(ObjectNode o, Publish p) {
        o.put("topic", p.topic()).put("qos", p.qos().value()).put("retain", p.retain());
        if (p.packetId() != 0) {
            o.put("packetId", p.packetId());
        }
        ArrayNode props = o.putArray("properties"); // in wire order, each {"name": value}
        for (int i = 0; i < p.properties().size(); i++) {
            String name = name(p.properties().key(i));
            Object value = p.properties().value(i);
            ObjectNode entry = props.addObject();
            if (value instanceof Integer v) {
                entry.put(name, v);
            } else if (value instanceof Long v) {
                entry.put(name, v);
            } else if (value instanceof String v) {
                entry.put(name, v);
            } else if (value instanceof ByteString v) {
                entry.put(name, Base64.getEncoder().encodeToString(v.toArray()));
            } else if (value instanceof UserProperty v) {
                entry.putArray(name).add(v.name()).add(v.value());
            }
        }
        return o.put("payload", Base64.getEncoder().encodeToString(p.payload().toArray()));
    }

    static StoredSession session(JsonNode o) {
        List<StoredSubscription> subs = new ArrayList<>();
        for (JsonNode sub : field(o, "subscriptions", JsonNode::isArray, "a list")) {
            String filter = text(sub, "filter");
            String problem = Topics.topicFilterProblem(filter);
            if (problem != null) {
                throw new IllegalArgumentException(problem + ": '" + filter + "'");
            }
            Subscription options = new Subscription(
                    filter,
                    QoS.of((int) number(sub, "qos", 0, 2)),
                    bool(sub, "noLocal"),
                    bool(sub, "retainAsPublished"),
                    RetainHandling.of((int) number(sub, "retainHandling", 0, 2)));
            subs.add(new StoredSubscription(options, (int) number(sub, "subscriptionId", 0, 268_435_455)));
        }
        JsonNode w = o.path("will");
        Will will = null;
        if (!w.isNull()) {
            Publish p = publish(w, false, PropertyScope.WILL);
            will = new Will(p.topic(), p.payload(), p.qos(), p.retain(), p.properties());
        }
        return new StoredSession(
                text(o, "clientId"),
                number(o, "incarnation", 0, Long.MAX_VALUE),
                number(o, "expiryInterval", 0, 0xFFFF_FFFFL),
                o.path("disconnectedAt").isNull()
                        ? StoredSession.CONNECTED
                        : number(o, "disconnectedAt", 0, Long.MAX_VALUE),
                List.copyOf(subs),
                will,
                will == null ? 0 : number(w, "dueAt", 0, Long.MAX_VALUE));
    }

    /** A retained message, a session's message ({@code held}: it may have a packet id) or a Will. */
    static Publish publish(JsonNode o, boolean held, PropertyScope scope) {
        String topic = text(o, "topic");
        String problem = topic.isEmpty() ? "empty topic" : Topics.topicNameProblem(topic);
        if (problem != null) {
            throw new IllegalArgumentException(problem + ": '" + topic + "'");
        }
        Properties.Builder props = Properties.builder();
        for (JsonNode entry : field(o, "properties", JsonNode::isArray, "a list")) {
            String name = entry.size() == 1 ? entry.fieldNames().next() : "";
            MqttProperty key = value(MqttProperty.class, name);
            if (!key.allowedIn(scope)) {
                throw new IllegalArgumentException("property " + name + " is not allowed in a " + scope);
            }
            props.add(key, propertyValue(key, entry, name));
        }
        int packetId = held && o.has("packetId") ? (int) number(o, "packetId", 1, 65_535) : 0;
        QoS qos = QoS.of((int) number(o, "qos", 0, 2));
        return new Publish(topic, qos, bool(o, "retain"), false, packetId, props.build(), bytes(o, "payload"));
    }

    static ObjectNode node(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    /** "in-flight" for IN_FLIGHT. */
    static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static <E extends Enum<E>> E value(Class<E> type, String name) {
        for (E e : type.getEnumConstants()) {
            if (name(e).equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown " + type.getSimpleName() + " '" + name + "'");
    }

    static Object propertyValue(MqttProperty key, JsonNode entry, String name) {
        return switch (key.type()) {
            case BYTE, TWO_BYTE_INTEGER, VARIABLE_BYTE_INTEGER -> (int) number(entry, name, 0, Integer.MAX_VALUE);
            case FOUR_BYTE_INTEGER -> number(entry, name, 0, Long.MAX_VALUE);
            case UTF8_STRING -> text(entry, name);
            case BINARY -> bytes(entry, name);
            case UTF8_STRING_PAIR -> userProperty(entry.get(name));
        };
    }

    static UserProperty userProperty(JsonNode pair) {
        if (!pair.isArray()
                || pair.size() != 2
                || !pair.get(0).isTextual()
                || !pair.get(1).isTextual()) {
            throw new IllegalArgumentException("a user-property is [name, value], not " + pair);
        }
        return new UserProperty(pair.get(0).asText(), pair.get(1).asText());
    }

    static ByteString bytes(JsonNode o, String field) {
        try {
            return ByteString.fromArrayUnsafe(Base64.getDecoder().decode(text(o, field)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " is not base64: " + e.getMessage());
        }
    }

    /** A string; U+0000 is in no MQTT string (MQTT-1.5.4-2) and would break the store's keys. */
    static String text(JsonNode o, String field) {
        return field(o, field, v -> v.isTextual() && v.asText().indexOf('\0') < 0, "a string without U+0000")
                .asText();
    }

    static long number(JsonNode o, String field, long min, long max) {
        JsonNode v = field(o, field, n -> n.isIntegralNumber() && n.canConvertToLong(), "a whole number");
        if (v.asLong() < min || v.asLong() > max) {
            throw new IllegalArgumentException(field + " must be a whole number from " + min + " to " + max);
        }
        return v.asLong();
    }

    static boolean bool(JsonNode o, String field) {
        return field(o, field, JsonNode::isBoolean, "true or false").asBoolean();
    }

    static JsonNode field(JsonNode o, String field, Predicate<JsonNode> valid, String what) {
        JsonNode v = o.get(field);
        if (v == null || !valid.test(v)) {
            throw new IllegalArgumentException(field + " must be " + what);
        }
        return v;
    }
}

package dev.herald.tap;

import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.property.UserProperty;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.apache.pekko.util.ByteString;

/**
 * A message a tap receives: what a client published, who published it, and the parameters the tap's
 * route took from its topic. Immutable; the payload is the broker's own slice of the received bytes.
 *
 * <pre>{@code
 * taps.onMessage("sensors/{device_id}/data", (msg, params) ->
 *         store.save(params.get("device_id"), msg.payloadUtf8()));
 * }</pre>
 *
 * @param topic the topic it was published to
 * @param payload the application message
 * @param qos the QoS it was published with
 * @param retain whether the publisher set RETAIN
 * @param publisherId the client id of the publisher
 * @param userProperties MQTT 5 user properties in the order sent (empty for MQTT 3.1.1)
 * @param contentType the MQTT 5 Content Type, or null when none was sent
 * @param params the values of the route's named levels
 */
public record TapMessage(
        String topic,
        ByteString payload,
        QoS qos,
        boolean retain,
        String publisherId,
        List<UserProperty> userProperties,
        String contentType,
        RouteParams params) {

    public TapMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(publisherId, "publisherId");
        userProperties = List.copyOf(userProperties);
        Objects.requireNonNull(params, "params");
    }

    /** The payload copied into a new array. */
    public byte[] payloadBytes() {
        return payload.toArray();
    }

    /** The payload decoded as UTF-8. */
    public String payloadUtf8() {
        return payload.decodeString(StandardCharsets.UTF_8);
    }

    /** The value of a named level of the route; see {@link RouteParams#get}. */
    public String param(String name) {
        return params.get(name);
    }

    /** The first user property of that name, or null. */
    public String userProperty(String name) {
        for (UserProperty p : userProperties) {
            if (p.name().equals(name)) {
                return p.value();
            }
        }
        return null;
    }
}

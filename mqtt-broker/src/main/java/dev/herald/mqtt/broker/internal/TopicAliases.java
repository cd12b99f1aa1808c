package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import java.util.HashMap;
import java.util.Map;

/**
 * The Topic Aliases of one MQTT 5 connection (MQTT 5.0 section 3.3.2.3.4), both ways: those the client
 * set (resolved on the way in; the broker's Topic Alias Maximum bounds them) and those the broker
 * assigns on the way out, first come first served, up to the client's Topic Alias Maximum. Aliases
 * live as long as the connection; a session resumed on another connection starts afresh.
 */
final class TopicAliases {

    private final int inboundMaximum;
    private final int outboundMaximum;
    private String[] inbound;
    private Map<String, Integer> outbound;

    TopicAliases(int inboundMaximum, int outboundMaximum) {
        this.inboundMaximum = inboundMaximum;
        this.outboundMaximum = outboundMaximum;
    }

    /**
     * The PUBLISH with its topic and without its alias (1..inboundMaximum, checked by the caller): a
     * topic sets the alias, an empty topic uses it. Null when the alias was never set.
     */
    Publish resolve(Publish p, int alias) {
        String topic = p.topic();
        if (topic.isEmpty()) {
            topic = inbound == null ? null : inbound[alias];
            if (topic == null) {
                return null;
            }
        } else {
            if (inbound == null) {
                inbound = new String[inboundMaximum + 1];
            }
            inbound[alias] = topic;
        }
        return new Publish(
                topic,
                p.qos(),
                p.retain(),
                p.dup(),
                p.packetId(),
                p.properties().without(MqttProperty.TOPIC_ALIAS),
                p.payload());
    }

    /**
     * The PUBLISH as it goes to the client: with an empty topic and its alias when one is assigned,
     * with its topic and a new alias while some are free, else unchanged.
     */
    Publish toClient(Publish p) {
        if (outboundMaximum == 0) {
            return p;
        }
        if (outbound == null) {
            outbound = new HashMap<>();
        }
        Integer alias = outbound.get(p.topic());
        String topic = p.topic();
        if (alias != null) {
            topic = "";
        } else if (outbound.size() < outboundMaximum) {
            alias = outbound.size() + 1;
            outbound.put(topic, alias);
        } else {
            return p;
        }
        Properties props =
                p.properties().toBuilder().add(MqttProperty.TOPIC_ALIAS, alias).build();
        return new Publish(topic, p.qos(), p.retain(), p.dup(), p.packetId(), props, p.payload());
    }
}

package dev.herald.mqtt.codec;

import dev.herald.mqtt.message.Auth;
import dev.herald.mqtt.message.ConnAck;
import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.PublishResponse;
import dev.herald.mqtt.message.SubAck;
import dev.herald.mqtt.message.Subscribe;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.message.UnsubAck;
import dev.herald.mqtt.message.Unsubscribe;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.property.UserProperty;
import org.apache.pekko.util.ByteString;

/** The largest string (in chars) or binary field (in bytes) a decoded packet holds. */
final class DecodedSizes {

    private DecodedSizes() {}

    static int largestField(MqttPacket packet) {
        if (packet instanceof Connect c) {
            int n = max(max(c.clientId(), c.username()), c.password(), c.properties());
            return c.will() == null
                    ? n
                    : Math.max(
                            n,
                            max(
                                    max(c.will().topic(), null),
                                    c.will().payload(),
                                    c.will().properties()));
        }
        if (packet instanceof Publish p) {
            return max(max(p.topic(), null), p.payload(), p.properties());
        }
        if (packet instanceof Subscribe s) {
            int n = of(s.properties());
            for (Subscription sub : s.subscriptions()) {
                n = Math.max(n, sub.filter().length());
            }
            return n;
        }
        if (packet instanceof Unsubscribe u) {
            int n = of(u.properties());
            for (String filter : u.filters()) {
                n = Math.max(n, filter.length());
            }
            return n;
        }
        if (packet instanceof PublishResponse r) {
            return of(r.properties());
        }
        if (packet instanceof SubAck s) {
            return Math.max(of(s.properties()), s.reasonCodes().size());
        }
        if (packet instanceof UnsubAck u) {
            return Math.max(of(u.properties()), u.reasonCodes().size());
        }
        if (packet instanceof ConnAck c) {
            return of(c.properties());
        }
        if (packet instanceof Disconnect d) {
            return of(d.properties());
        }
        if (packet instanceof Auth a) {
            return of(a.properties());
        }
        return 0;
    }

    private static int of(Properties props) {
        int n = 0;
        for (int i = 0; i < props.size(); i++) {
            Object v = props.value(i);
            if (v instanceof String s) {
                n = Math.max(n, s.length());
            } else if (v instanceof ByteString b) {
                n = Math.max(n, b.length());
            } else if (v instanceof UserProperty u) {
                n = Math.max(n, Math.max(u.name().length(), u.value().length()));
            }
        }
        return n;
    }

    private static int max(String a, String b) {
        return Math.max(a == null ? 0 : a.length(), b == null ? 0 : b.length());
    }

    private static int max(int strings, ByteString binary, Properties props) {
        return Math.max(Math.max(strings, binary == null ? 0 : binary.length()), of(props));
    }
}

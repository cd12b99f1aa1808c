package dev.herald.mqtt.filter;

import dev.herald.mqtt.message.MqttPacket;
import java.util.Objects;

/** What a {@link PacketFilter} decided about one packet. */
public sealed interface FilterResult {

    /** The packet goes on unchanged. */
    record Pass() implements FilterResult {}

    /** The packet goes on as {@code packet}, which must be of the same type (and keep its packet id). */
    record Replace(MqttPacket packet) implements FilterResult {
        public Replace {
            Objects.requireNonNull(packet, "packet");
        }
    }

    /** The packet stops here; the client is answered with {@code reasonCode} and, if it asked, the reason. */
    record Reject(int reasonCode, String reason) implements FilterResult {
        public Reject {
            if (reasonCode < 0x80 || reasonCode > 0xFF) {
                throw new IllegalArgumentException("a rejection needs an error reason code (0x80 to 0xFF), not 0x"
                        + Integer.toHexString(reasonCode));
            }
            Objects.requireNonNull(reason, "reason");
        }
    }

    Pass PASS = new Pass();

    static FilterResult pass() {
        return PASS;
    }

    static FilterResult replace(MqttPacket packet) {
        return new Replace(packet);
    }

    static FilterResult reject(int reasonCode, String reason) {
        return new Reject(reasonCode, reason);
    }
}

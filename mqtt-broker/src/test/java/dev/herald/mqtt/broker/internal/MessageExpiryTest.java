package dev.herald.mqtt.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/** MQTT 5.0 section 3.3.2.3.3: expired copies are not sent, the others carry what is left. */
class MessageExpiryTest {

    private static final long SECOND = 1_000_000_000L;

    private static Publish withExpiry(long seconds) {
        Properties props = Properties.builder()
                .userProperty("k", "v")
                .add(MqttProperty.MESSAGE_EXPIRY_INTERVAL, seconds)
                .build();
        return new Publish("t", QoS.AT_LEAST_ONCE, false, false, 0, props, ByteString.fromString("x"));
    }

    @Test
    void aMessageWithoutIntervalNeverExpires() {
        Publish p = new Publish("t", QoS.AT_MOST_ONCE, false, false, 0, Properties.EMPTY, ByteString.emptyByteString());
        assertThat(MessageExpiry.remaining(p, 0, 1_000_000 * SECOND)).isSameAs(p);
    }

    @Test
    void theIntervalIsReducedByTheWholeSecondsWaited() {
        Publish p = withExpiry(60);
        Publish later = MessageExpiry.remaining(p, 0, 2 * SECOND + SECOND / 2);
        assertThat(later.properties().longValue(MqttProperty.MESSAGE_EXPIRY_INTERVAL, -1))
                .isEqualTo(58);
        assertThat(later.properties().userProperties()).isEqualTo(p.properties().userProperties());
        assertThat(MessageExpiry.remaining(p, 0, SECOND / 2)).isSameAs(p);
    }

    @Test
    void aMessageThatWaitedItsIntervalIsGone() {
        assertThat(MessageExpiry.remaining(withExpiry(1), 0, SECOND)).isNull();
        assertThat(MessageExpiry.remaining(withExpiry(0), 0, 0)).isNull();
    }
}

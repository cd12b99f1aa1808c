package dev.herald.mqtt.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.PubAckReasonCode;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/**
 * With sync durability, acknowledgements leave once what they promise is stored and in the order
 * their PUBLISHes came (MQTT-4.6.0-2 for PUBACK, MQTT-4.6.0-3 for PUBREC).
 */
class PendingAcksTest {

    private final PendingAcks acks = new PendingAcks();

    private static Publish publish(int packetId) {
        return new Publish(
                "t", QoS.AT_LEAST_ONCE, false, false, packetId, Properties.EMPTY, ByteString.emptyByteString());
    }

    /** Holds an acknowledgement that waits for {@code stores} stores; returns its id. */
    private long hold(int packetId, int stores) {
        DurableAck ack = acks.begin(null);
        for (int i = 0; i < stores; i++) {
            ack.expect();
        }
        assertThat(acks.mustWait(ack)).isEqualTo(stores > 0);
        acks.hold(publish(packetId), PubAckReasonCode.SUCCESS, null, ack);
        return ack.id();
    }

    @Test
    void anAcknowledgementWhoseStoresAreDoneWaitsForTheEarlierOnes() {
        long first = hold(1, 2);
        long second = hold(2, 1);
        assertThat(acks.mustWait(null)).as("a third one queues behind").isTrue();

        assertThat(acks.stored(second, true)).isEmpty();
        assertThat(acks.stored(first, true)).isEmpty();
        assertThat(acks.stored(first, true))
                .extracting(r -> r.publish().packetId())
                .containsExactly(1, 2);
        assertThat(acks.mustWait(null)).isFalse();
    }

    @Test
    void aFailedStoreIsReported() {
        long id = hold(7, 2);
        acks.stored(id, false);
        assertThat(acks.stored(id, true)).singleElement().satisfies(r -> assertThat(r.stored())
                .isFalse());
    }
}

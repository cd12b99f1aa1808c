package dev.herald.bench.load;

import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.property.Properties;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.util.ByteString;

/**
 * Waits until the subscriptions are routed where the publishers are. On a cluster, a SUBACK says the
 * subscription is in the routing snapshot of the subscriber's node; the publishers' node has it a
 * moment later. A probe client on the publishers' port sends an empty QoS 0 PUBLISH to each topic
 * every few milliseconds until every subscriber has seen one, bounded in time. Subscribers count
 * probes apart ({@link Subscriber#probes}), so the measured counts, the closed-loop window and the
 * lost count stay those of the publishers' own messages.
 */
final class RoutingProbe {

    /** A probe's payload length; the generator's messages carry at least their 8-byte send time. */
    static final int PAYLOAD_LENGTH = 0;

    private static final long EVERY_MILLIS = 10;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private RoutingProbe() {}

    /**
     * Probes {@code topics} from a client on the publishers' port until every one of {@code
     * subscribers} has received a probe; returns the milliseconds that took. Throws when it has not
     * happened within {@link #TIMEOUT}, so that a run never measures a half-routed cluster.
     */
    static long await(Fleet fleet, String clientId, List<String> topics, List<Subscriber> subscribers)
            throws Exception {
        Fleet.Client probe = fleet.connect(clientId, new ClientHandler.Listener() {});
        try {
            long t0 = System.nanoTime();
            long deadline = t0 + TIMEOUT.toNanos();
            while (!allProbed(subscribers)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("subscriptions not routed on the publishers' node after "
                            + TIMEOUT.toSeconds() + " s: " + probed(subscribers) + " of " + subscribers.size()
                            + " subscribers received a probe");
                }
                for (String topic : topics) {
                    probe.channel().write(fleet.bytes(probe(topic)));
                }
                probe.channel().flush();
                TimeUnit.MILLISECONDS.sleep(EVERY_MILLIS);
            }
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        } finally {
            fleet.disconnect(probe);
        }
    }

    static Publish probe(String topic) {
        return new Publish(topic, QoS.AT_MOST_ONCE, false, false, 0, Properties.EMPTY, ByteString.emptyByteString());
    }

    private static boolean allProbed(List<Subscriber> subscribers) {
        return probed(subscribers) == subscribers.size();
    }

    private static long probed(List<Subscriber> subscribers) {
        return subscribers.stream().filter(s -> s.probes.get() > 0).count();
    }
}

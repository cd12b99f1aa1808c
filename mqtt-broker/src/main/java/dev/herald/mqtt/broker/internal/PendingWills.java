package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.message.property.MqttProperty;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The Wills the BrokerActor holds for clients that went away, each on a timer for its Will Delay
 * Interval (MQTT 5.0 section 3.1.3.2.2); owned by the BrokerActor.
 */
final class PendingWills {

    private final Map<String, Will> wills = new HashMap<>();
    private final TimerScheduler<BrokerActor.Command> timers;
    private final Function<String, BrokerActor.Command> due;

    /** {@code due} makes the message the timer sends when a client's Will is due. */
    PendingWills(TimerScheduler<BrokerActor.Command> timers, Function<String, BrokerActor.Command> due) {
        this.timers = timers;
        this.due = due;
    }

    /** Holds the Will until {@code delay} has passed (the caller publishes one due at once itself). */
    void hold(String clientId, Will will, Duration delay) {
        wills.put(clientId, will);
        if (!delay.isNegative() && !delay.isZero()) {
            timers.startSingleTimer(key(clientId), due.apply(clientId), delay);
        }
    }

    boolean has(String clientId) {
        return wills.containsKey(clientId);
    }

    Will get(String clientId) {
        return wills.get(clientId);
    }

    /** The Will, no longer held (null when there is none). */
    Will take(String clientId) {
        timers.cancel(key(clientId));
        return wills.remove(clientId);
    }

    static long delaySeconds(Will will) {
        return will.properties().longValue(MqttProperty.WILL_DELAY_INTERVAL, 0);
    }

    /** The Will as an Application Message: its properties but the Will Delay Interval. */
    static Publish message(Will will) {
        return new Publish(
                will.topic(),
                will.qos(),
                will.retain(),
                false,
                0,
                will.properties().without(MqttProperty.WILL_DELAY_INTERVAL),
                will.payload());
    }

    private static String key(String clientId) {
        return "will:" + clientId;
    }
}

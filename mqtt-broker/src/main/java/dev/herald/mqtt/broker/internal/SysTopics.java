package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.broker.SharedGroupStats;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.property.Properties;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.pekko.util.ByteString;

/**
 * The broker's state as {@code $SYS/broker/...} messages (Mosquitto's names where it has them, Herald's
 * own under {@code $SYS/broker/herald/}), all read from {@link BrokerMetrics}, the source admin
 * /metrics reads too. Each {@link #round} answers the topics whose value changed since the last round
 * (every topic on the first) as retained QoS 0 messages. Owned by the BrokerActor, which routes them.
 */
final class SysTopics {

    /** The publisher id of $SYS messages: no client's (an empty client id is replaced at CONNECT). */
    static final String PUBLISHER = "";

    static final String ROOT = "$SYS";
    private static final String BROKER = ROOT + "/broker/";
    private static final String[] LOAD_WINDOWS = {"1min", "5min", "15min"};

    private final BrokerMetrics metrics;
    private final String version;
    private final long startNanos;
    private final LoadAverages received;
    private final LoadAverages sent;
    private final Map<String, String> published = new HashMap<>();

    SysTopics(BrokerMetrics metrics, String version, long startNanos) {
        this.metrics = metrics;
        this.version = version;
        this.startNanos = startNanos;
        this.received = new LoadAverages(metrics.messagesReceived(), startNanos);
        this.sent = new LoadAverages(metrics.messagesSent(), startNanos);
    }

    /** Whether a topic name is in the broker's own tree, which clients may read but not publish to. */
    static boolean isSysTopic(String topic) {
        return topic.startsWith(ROOT) && (topic.length() == ROOT.length() || topic.charAt(ROOT.length()) == '/');
    }

    /** This broker's version: its jar's Implementation-Version, or "development" when run from classes. */
    static String brokerVersion() {
        String v = BrokerMetrics.class.getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? "development" : v;
    }

    /**
     * The messages of one round at {@code nowNanos}: the topics whose value changed. Sessions counts
     * every session; connected those with an open connection.
     */
    List<Publish> round(long nowNanos, long sessions, long connected) {
        Map<String, String> values = values(nowNanos, sessions, connected);
        List<Publish> changed = new ArrayList<>();
        values.forEach((topic, value) -> {
            if (!Objects.equals(published.put(topic, value), value)) {
                changed.add(new Publish(
                        topic,
                        QoS.AT_MOST_ONCE,
                        true,
                        false,
                        0,
                        Properties.EMPTY,
                        ByteString.fromString(value, StandardCharsets.UTF_8)));
            }
        });
        return changed;
    }

    /** Every topic and its value now, in a stable order. */
    Map<String, String> values(long nowNanos, long sessions, long connected) {
        received.update(metrics.messagesReceived(), nowNanos);
        sent.update(metrics.messagesSent(), nowNanos);
        Map<String, String> v = new LinkedHashMap<>();
        v.put(BROKER + "version", "herald version " + version);
        v.put(BROKER + "uptime", (nowNanos - startNanos) / 1_000_000_000L + " seconds");
        v.put(BROKER + "clients/connected", Long.toString(connected));
        v.put(BROKER + "clients/disconnected", Long.toString(Math.max(0, sessions - connected)));
        v.put(BROKER + "clients/total", Long.toString(sessions));
        v.put(BROKER + "messages/received", Long.toString(metrics.messagesReceived()));
        v.put(BROKER + "messages/sent", Long.toString(metrics.messagesSent()));
        v.put(BROKER + "publish/messages/dropped", Long.toString(metrics.dropped()));
        v.put(BROKER + "subscriptions/count", Long.toString(metrics.subscriptions()));
        v.put(BROKER + "retained messages/count", Long.toString(metrics.retainedMessages()));
        for (int i = 0; i < LOAD_WINDOWS.length; i++) {
            v.put(BROKER + "load/messages/received/" + LOAD_WINDOWS[i], rate(received.average(i)));
            v.put(BROKER + "load/messages/sent/" + LOAD_WINDOWS[i], rate(sent.average(i)));
        }
        for (BrokerMetrics.DropReason reason : BrokerMetrics.DropReason.values()) {
            v.put(BROKER + "herald/dropped/" + reason.label(), Long.toString(reason.count(metrics)));
        }
        sharedGroups().forEach((group, totals) -> {
            String prefix = BROKER + "herald/shared/" + group + "/";
            v.put(prefix + "members", Long.toString(totals[0]));
            v.put(prefix + "delivered", Long.toString(totals[1]));
            v.put(prefix + "redelivered", Long.toString(totals[2]));
            v.put(prefix + "dropped", Long.toString(totals[3]));
        });
        return v;
    }

    /**
     * Members, delivered, redelivered and dropped per group name, summed over the group's filters
     * (a filter's '/', '+' and '#' cannot stand in a topic name; a share name holds none of them).
     */
    private Map<String, long[]> sharedGroups() {
        Map<String, long[]> groups = new TreeMap<>();
        for (SharedGroupStats stats : metrics.sharedGroups()) {
            long[] totals = groups.computeIfAbsent(stats.group(), g -> new long[4]);
            totals[0] += stats.members();
            totals[1] += stats.delivered();
            totals[2] += stats.redelivered();
            totals[3] += stats.dropped();
        }
        return groups;
    }

    private static String rate(double perMinute) {
        return String.format(Locale.ROOT, "%.2f", perMinute);
    }
}

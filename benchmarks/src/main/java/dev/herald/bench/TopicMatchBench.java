package dev.herald.bench;

import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.routing.MatchVisitor;
import dev.herald.mqtt.routing.TopicTree;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Matching a topic name against, and adding one subscription to, a {@link TopicTree} of 100,000 subscriptions:
 * 90,000 exact "devices/{id}/telemetry", 6,000 "devices/{id}/+", 3,000 dashboards on "devices/+/alerts", 990
 * "devices/{id}/#" and 10 "#". A telemetry topic matches 3 to 4 of them plus the 10 "#". The tree keeps the
 * matches of up to 1,024 topic names, so the benchmarks of one topic name measure a kept match, and
 * {@link #matchEachDeviceInTurn} (90,000 names in turn) measures the walk.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class TopicMatchBench {

    private static final int EXACT = 90_000;
    private static final int DEVICE_PLUS = 6_000;
    private static final int DASHBOARDS = 3_000;
    private static final int DEVICE_HASH = 990;
    private static final int EVERYTHING = 10;

    private TopicTree<Subscription> tree;
    private MatchVisitor<Subscription> counter;
    private int matched;
    private Subscription newSubscription;
    private String[] telemetryTopics;
    private int nextDevice;

    @Setup
    public void setUp() {
        TopicTree<Subscription> t = TopicTree.empty();
        for (int id = 0; id < EXACT; id++) {
            t = subscribe(t, "devices/" + id + "/telemetry", "device-" + id);
        }
        for (int id = 0; id < DEVICE_PLUS; id++) {
            t = subscribe(t, "devices/" + id + "/+", "controller-" + id);
        }
        for (int i = 0; i < DASHBOARDS; i++) {
            t = subscribe(t, "devices/+/alerts", "dashboard-" + i);
        }
        for (int id = 0; id < DEVICE_HASH; id++) {
            t = subscribe(t, "devices/" + id + "/#", "recorder-" + id);
        }
        for (int i = 0; i < EVERYTHING; i++) {
            t = subscribe(t, "#", "audit-" + i);
        }
        tree = t;
        telemetryTopics = new String[EXACT];
        for (int id = 0; id < EXACT; id++) {
            telemetryTopics[id] = "devices/" + id + "/telemetry";
        }
        newSubscription = new Subscription("devices/100000/telemetry", QoS.AT_LEAST_ONCE);
        counter = (filter, clientId, subscription) -> matched++;
    }

    private static TopicTree<Subscription> subscribe(TopicTree<Subscription> tree, String filter, String clientId) {
        return tree.subscribe(filter, clientId, new Subscription(filter, QoS.AT_LEAST_ONCE));
    }

    /** A device with an exact, a '+' and a '#' subscriber besides the 10 "#": 13 entries visited. */
    @Benchmark
    public int matchExactTopic() {
        matched = 0;
        tree.match("devices/42/telemetry", counter);
        return matched;
    }

    /** A device with only its exact subscriber besides the 10 "#": 11 entries visited. */
    @Benchmark
    public int matchExactTopicFewWildcards() {
        matched = 0;
        tree.match("devices/77777/telemetry", counter);
        return matched;
    }

    /** A topic no device subscribes to exactly; only the 10 "#" match. */
    @Benchmark
    public int matchUnknownTopic() {
        matched = 0;
        tree.match("devices/unknown/telemetry", counter);
        return matched;
    }

    /** Each device's telemetry topic in turn, so nearly every match walks the tree. */
    @Benchmark
    public int matchEachDeviceInTurn() {
        matched = 0;
        tree.match(telemetryTopics[nextDevice], counter);
        nextDevice = nextDevice + 1 == telemetryTopics.length ? 0 : nextDevice + 1;
        return matched;
    }

    /** One more subscription into the 100,000: a new version that copies one path, never the whole table. */
    @Benchmark
    public TopicTree<Subscription> subscribeOneMore() {
        return tree.subscribe("devices/100000/telemetry", "device-100000", newSubscription);
    }

    /** Removing one of the 100,000 subscriptions, pruning its two nodes. */
    @Benchmark
    public TopicTree<Subscription> unsubscribeOne() {
        return tree.unsubscribe("devices/77777/telemetry", "device-77777");
    }
}

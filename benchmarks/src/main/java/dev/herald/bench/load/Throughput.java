package dev.herald.bench.load;

import dev.herald.mqtt.message.QoS;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Closed-loop throughput: publishers send while their flow has fewer than {@code window} messages
 * not yet delivered to every subscriber, so the broker is kept busy without being flooded. After a
 * warm-up, delivered messages are counted over the measured time; then publishing stops, the rest
 * drains, and what never arrived is reported as lost. In a shared-subscription shape the flow's
 * subscribers are the members of one group, {@code $share/bench/...} (MQTT 5.0 section 4.8.2): each
 * message reaches one of them, and the split among them is reported too.
 */
final class Throughput {

    /** The shared subscription group of a shared shape's subscribers. */
    static final String SHARE_GROUP = "bench";

    /**
     * One scenario's shape: flows of publishers and subscribers, the QoS of both, whether publishers
     * have topics of their own under a {@code +} filter, and whether the subscribers share one group.
     */
    record Shape(
            String name,
            int flows,
            int publishersPerFlow,
            int subscribersPerFlow,
            QoS qos,
            boolean wildcard,
            boolean shared) {

        /** Deliveries one message makes: a copy per subscriber, or one for a whole shared group. */
        int copies() {
            return shared ? 1 : subscribersPerFlow;
        }

        /** The filter a flow's subscribers subscribe to, for the flow's base topic. */
        String filter(String base) {
            String filter = wildcard ? base + "/+" : base;
            return shared ? "$share/" + SHARE_GROUP + "/" + filter : filter;
        }
    }

    static Shape shape(String name) {
        return switch (name) {
            case "fanin" -> new Shape(name, 1, 8, 1, QoS.AT_MOST_ONCE, true, false);
            case "fanout" -> new Shape(name, 1, 1, 8, QoS.AT_MOST_ONCE, false, false);
            case "shared" -> new Shape(name, 1, 1, 4, QoS.AT_MOST_ONCE, false, true);
            case "pairs" -> new Shape(name, 8, 1, 1, QoS.AT_MOST_ONCE, false, false);
            case "qos1" -> new Shape(name, 1, 4, 1, QoS.AT_LEAST_ONCE, true, false);
            case "qos2" -> new Shape(name, 1, 4, 1, QoS.EXACTLY_ONCE, true, false);
            default -> throw new IllegalArgumentException("unknown throughput scenario: " + name);
        };
    }

    private Throughput() {}

    static Map<String, Object> run(Fleet fleet, Shape shape, Options o) throws Exception {
        List<Publisher> allPublishers = new ArrayList<>();
        List<Subscriber> allSubscribers = new ArrayList<>();
        List<Fleet.Client> clients = new ArrayList<>();
        List<String> probeTopics = new ArrayList<>();
        for (int f = 0; f < shape.flows(); f++) {
            String base = "load/" + shape.name() + "/" + f;
            probeTopics.add(shape.wildcard() ? base + "/0" : base);
            Publisher.FlowWindow window = new Publisher.FlowWindow((long) o.window() * shape.copies(), shape.copies());
            List<Publisher> publishers = new ArrayList<>();
            for (int p = 0; p < shape.publishersPerFlow(); p++) {
                String topic = shape.wildcard() ? base + "/" + p : base;
                publishers.add(new Publisher(topic, shape.qos(), o.payload(), fleet.version, window, o.maxInFlight()));
            }
            for (int s = 0; s < shape.subscribersPerFlow(); s++) {
                Subscriber sub = new Subscriber(window, publishers, null);
                Fleet.Client c =
                        fleet.connectSubscriber("sub-" + shape.name() + "-" + f + "-" + s, sub, o.sessionExpiry());
                fleet.subscribe(c, shape.filter(base), shape.qos());
                clients.add(c);
                allSubscribers.add(sub);
            }
            for (int p = 0; p < publishers.size(); p++) {
                Fleet.Client c = fleet.connect("pub-" + shape.name() + "-" + f + "-" + p, publishers.get(p));
                clients.add(c);
                allPublishers.add(publishers.get(p));
            }
        }
        // Subscribers on another node: wait until the publishers' node routes to them (not measured).
        long routedAfterMs =
                o.splitPorts() ? RoutingProbe.await(fleet, "probe-" + shape.name(), probeTopics, allSubscribers) : -1;
        allPublishers.forEach(p -> p.start(clientOf(clients, p)));
        TimeUnit.MILLISECONDS.sleep(o.warmup().toMillis()); // warm-up traffic, not measured
        long received0 = received(allSubscribers);
        double brokerCpu0 = ProcStats.cpuSeconds(o.brokerPids());
        double[] eachCpu0 = ProcStats.cpuSecondsEach(o.brokerPids());
        double ownCpu0 = ProcStats.ownCpuSeconds();
        long t0 = System.nanoTime();
        TimeUnit.MILLISECONDS.sleep(o.duration().toMillis());
        long received1 = received(allSubscribers);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double brokerCpu = ProcStats.cpuSeconds(o.brokerPids()) - brokerCpu0;
        double[] eachCpu = ProcStats.cpuSecondsEach(o.brokerPids());
        double ownCpu = ProcStats.ownCpuSeconds() - ownCpu0;
        allPublishers.forEach(Publisher::stop);
        long expected = 0;
        for (Publisher p : allPublishers) {
            expected += p.sent() * shape.copies();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (received(allSubscribers) < expected && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        long delivered = received1 - received0;
        long[] perSubscriber =
                allSubscribers.stream().mapToLong(s -> s.received.get()).toArray();
        clients.forEach(c -> c.channel().close());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("delivered_per_s", delivered / seconds);
        r.put("lost", expected - Arrays.stream(perSubscriber).sum());
        r.put("broker_cpu_s", brokerCpu);
        r.put("delivered_per_broker_cpu_s", delivered / brokerCpu);
        if (eachCpu.length > 1) { // a broker of several processes: each one's share, in --pid order
            List<Object> each = new ArrayList<>();
            for (int i = 0; i < eachCpu.length; i++) {
                each.add(eachCpu[i] - eachCpu0[i]);
            }
            r.put("broker_cpu_s_each", each);
        }
        r.put("generator_cpu_us_per_msg", ownCpu * 1e6 / Math.max(1, delivered));
        if (o.splitPorts()) {
            r.put("routed_after_ms", routedAfterMs);
        }
        if (shape.shared()) {
            r.put("member_received", Arrays.stream(perSubscriber).boxed().toList());
            r.put("evenness", evenness(perSubscriber));
        }
        return r;
    }

    /** The smallest count over the largest, 1.0 when perfectly even; NaN when nothing arrived. */
    static double evenness(long[] counts) {
        long min = Arrays.stream(counts).min().orElse(0);
        long max = Arrays.stream(counts).max().orElse(0);
        return max == 0 ? Double.NaN : (double) min / max;
    }

    private static io.netty.channel.Channel clientOf(List<Fleet.Client> clients, Publisher p) {
        for (Fleet.Client c : clients) {
            if (c.handler().listener() == p) {
                return c.channel();
            }
        }
        throw new IllegalStateException("publisher without a connection");
    }

    private static long received(List<Subscriber> subscribers) {
        long n = 0;
        for (Subscriber s : subscribers) {
            n += s.received.get();
        }
        return n;
    }
}

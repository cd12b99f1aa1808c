package dev.herald.bench.load;

import dev.herald.mqtt.message.QoS;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Closed-loop throughput: publishers send while their flow has fewer than {@code window} messages
 * not yet delivered to every subscriber, so the broker is kept busy without being flooded. After a
 * warm-up, delivered messages are counted over the measured time; then publishing stops, the rest
 * drains, and what never arrived is reported as lost.
 */
final class Throughput {

    /** One scenario's shape: flows of publishers and subscribers, and the QoS of both. */
    record Shape(String name, int flows, int publishersPerFlow, int subscribersPerFlow, QoS qos, boolean wildcard) {}

    static Shape shape(String name) {
        return switch (name) {
            case "fanin" -> new Shape(name, 1, 8, 1, QoS.AT_MOST_ONCE, true);
            case "fanout" -> new Shape(name, 1, 1, 8, QoS.AT_MOST_ONCE, false);
            case "pairs" -> new Shape(name, 8, 1, 1, QoS.AT_MOST_ONCE, false);
            case "qos1" -> new Shape(name, 1, 4, 1, QoS.AT_LEAST_ONCE, true);
            case "qos2" -> new Shape(name, 1, 4, 1, QoS.EXACTLY_ONCE, true);
            default -> throw new IllegalArgumentException("unknown throughput scenario: " + name);
        };
    }

    private Throughput() {}

    static Map<String, Object> run(Fleet fleet, Shape shape, Options o) throws Exception {
        List<Publisher> allPublishers = new ArrayList<>();
        List<Subscriber> allSubscribers = new ArrayList<>();
        List<Fleet.Client> clients = new ArrayList<>();
        for (int f = 0; f < shape.flows(); f++) {
            String base = "load/" + shape.name() + "/" + f;
            Publisher.FlowWindow window = new Publisher.FlowWindow(
                    (long) o.window() * shape.subscribersPerFlow(), shape.subscribersPerFlow());
            List<Publisher> publishers = new ArrayList<>();
            for (int p = 0; p < shape.publishersPerFlow(); p++) {
                String topic = shape.wildcard() ? base + "/" + p : base;
                publishers.add(new Publisher(topic, shape.qos(), o.payload(), fleet.version, window, o.maxInFlight()));
            }
            for (int s = 0; s < shape.subscribersPerFlow(); s++) {
                Subscriber sub = new Subscriber(window, publishers, null);
                Fleet.Client c = fleet.connect("sub-" + shape.name() + "-" + f + "-" + s, sub);
                fleet.subscribe(c, shape.wildcard() ? base + "/+" : base, shape.qos());
                clients.add(c);
                allSubscribers.add(sub);
            }
            for (int p = 0; p < publishers.size(); p++) {
                Fleet.Client c = fleet.connect("pub-" + shape.name() + "-" + f + "-" + p, publishers.get(p));
                clients.add(c);
                allPublishers.add(publishers.get(p));
            }
        }
        allPublishers.forEach(p -> p.start(clientOf(clients, p)));
        TimeUnit.MILLISECONDS.sleep(o.warmup().toMillis()); // warm-up traffic, not measured
        long received0 = received(allSubscribers);
        double brokerCpu0 = ProcStats.cpuSeconds(o.brokerPid());
        double ownCpu0 = ProcStats.ownCpuSeconds();
        long t0 = System.nanoTime();
        TimeUnit.MILLISECONDS.sleep(o.duration().toMillis());
        long received1 = received(allSubscribers);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double brokerCpu = ProcStats.cpuSeconds(o.brokerPid()) - brokerCpu0;
        double ownCpu = ProcStats.ownCpuSeconds() - ownCpu0;
        allPublishers.forEach(Publisher::stop);
        long expected = 0;
        for (Publisher p : allPublishers) {
            expected += p.sent() * shape.subscribersPerFlow();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (received(allSubscribers) < expected && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        long delivered = received1 - received0;
        clients.forEach(c -> c.channel().close());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("delivered_per_s", delivered / seconds);
        r.put("lost", expected - received(allSubscribers));
        r.put("broker_cpu_s", brokerCpu);
        r.put("delivered_per_broker_cpu_s", delivered / brokerCpu);
        r.put("generator_cpu_us_per_msg", ownCpu * 1e6 / Math.max(1, delivered));
        return r;
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

package dev.herald.bench.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Idle connections: opens N MQTT connections with a bounded number of CONNECTs in flight, holds them,
 * and reports the connect rate, CONNECT-to-CONNACK percentiles, the broker's memory before, with and
 * after them, and how many were still open at the end of the hold.
 */
final class ConnectionsScenario {

    private ConnectionsScenario() {}

    static Map<String, Object> run(Fleet fleet, Options o) throws Exception {
        long rssBefore = ProcStats.rssKb(o.brokerPid());
        Semaphore inFlight = new Semaphore(o.connectsInFlight());
        Latencies connectTimes = new Latencies(o.connections());
        connectTimes.recording(true);
        AtomicInteger failed = new AtomicInteger();
        List<Fleet.Client> clients = new ArrayList<>(o.connections());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        long t0 = System.nanoTime();
        for (int i = 0; i < o.connections() && System.nanoTime() < deadline; i++) {
            if (!inFlight.tryAcquire(10, TimeUnit.SECONDS)) {
                break;
            }
            long start = System.nanoTime();
            Fleet.Client c = fleet.open("idle-" + i, new ClientHandler.Listener() {});
            clients.add(c);
            c.handler().connected.whenComplete((ok, error) -> {
                if (error == null) {
                    synchronized (connectTimes) {
                        connectTimes.record(System.nanoTime() - start);
                    }
                } else {
                    failed.incrementAndGet();
                }
                inFlight.release();
            });
        }
        inFlight.tryAcquire(o.connectsInFlight(), 30, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        TimeUnit.SECONDS.sleep(2); // let the broker settle before reading its memory
        long rssWith = ProcStats.rssKb(o.brokerPid());
        TimeUnit.MILLISECONDS.sleep(o.duration().toMillis()); // the hold
        long alive = clients.stream().filter(c -> c.channel().isActive()).count();
        clients.forEach(c -> c.channel().close());
        TimeUnit.SECONDS.sleep(3);
        long rssAfter = ProcStats.rssKb(o.brokerPid());
        Map<String, Object> r = new LinkedHashMap<>();
        int connected = connectTimes.count();
        r.put("connected", connected);
        r.put("failed", failed.get());
        r.put("connects_per_s", connected / seconds);
        r.put("connect_p50_ms", connectTimes.percentileMicros(50) / 1000);
        r.put("connect_p99_ms", connectTimes.percentileMicros(99) / 1000);
        r.put("rss_before_mb", rssBefore / 1024.0);
        r.put("rss_with_mb", rssWith / 1024.0);
        r.put("rss_after_mb", rssAfter / 1024.0);
        r.put("kb_per_connection", connected == 0 ? Double.NaN : (rssWith - rssBefore) / (double) connected);
        r.put("alive_after_hold", alive);
        return r;
    }
}

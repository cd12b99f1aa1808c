package dev.herald.bench.load;

import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.property.Properties;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.util.ByteString;

/**
 * Session churn: N clients each connect with a short Session Expiry Interval ({@code --session-expiry}
 * S, alternately S and S + 1 seconds), subscribe to a filter of their own, send DISCONNECT and go, with
 * a bounded number in flight; every tenth session then gets one QoS 1 message queued while it is
 * offline. Against a broker with persistence on, each session and message is written to its store and
 * must be deleted from it again when the session expires: what the store's size does is the point.
 */
final class ChurnScenario {

    private static final long DEADLINE_SECONDS = 360;
    private static final int PUBLISHES_IN_FLIGHT = 500;
    private static final int QUEUED_EVERY = 10;

    private ChurnScenario() {}

    static Map<String, Object> run(Fleet fleet, Options o) throws Exception {
        long expiry = Math.max(1, o.sessionExpiry());
        Semaphore inFlight = new Semaphore(o.connectsInFlight());
        Semaphore publishes = new Semaphore(PUBLISHES_IN_FLIGHT);
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger acked = new AtomicInteger();
        Queue<String> toQueue = new ConcurrentLinkedQueue<>();
        Fleet.Client publisher = fleet.connect("churn-pub", new ClientHandler.Listener() {
            @Override
            public void completed() {
                acked.incrementAndGet();
                publishes.release();
            }
        });
        int published = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        long t0 = System.nanoTime();
        int started = 0;
        for (; started < o.connections() && System.nanoTime() < deadline; started++) {
            if (!inFlight.tryAcquire(10, TimeUnit.SECONDS)) {
                break;
            }
            published += publishQueued(fleet, publisher, toQueue, publishes, published, false);
            int i = started;
            String filter = "churn/" + i + "/#";
            Fleet.Client c = fleet.open("churn-" + i, new ClientHandler.Listener() {}, expiry + (i % 2));
            c.handler()
                    .connected
                    .thenCompose(v -> fleet.subscribeAsync(c, filter, QoS.AT_LEAST_ONCE))
                    .thenCompose(v -> completion(fleet.disconnect(c)))
                    .whenComplete((v, error) -> {
                        if (error == null) {
                            done.incrementAndGet();
                            if (i % QUEUED_EVERY == 0) {
                                toQueue.add("churn/" + i + "/queued");
                            }
                        } else {
                            failed.incrementAndGet();
                            c.channel().close();
                        }
                        inFlight.release();
                    });
        }
        inFlight.tryAcquire(o.connectsInFlight(), 30, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        published += publishQueued(fleet, publisher, toQueue, publishes, published, true);
        publishes.tryAcquire(PUBLISHES_IN_FLIGHT, 30, TimeUnit.SECONDS);
        fleet.disconnect(publisher).await(5, TimeUnit.SECONDS);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("sessions", done.get());
        r.put("failed", failed.get() + (started - done.get() - failed.get()));
        r.put("sessions_per_s", done.get() / seconds);
        r.put("queued_published", published);
        r.put("queued_acked", acked.get());
        r.put("churn_seconds", seconds);
        return r;
    }

    /** Publishes what waits in {@code topics}; {@code wait} blocks for room, else stops when there is none. */
    private static int publishQueued(
            Fleet fleet, Fleet.Client publisher, Queue<String> topics, Semaphore room, int sentBefore, boolean wait)
            throws InterruptedException {
        int sent = 0;
        for (String topic = topics.peek(); topic != null; topic = topics.peek()) {
            boolean got = wait ? room.tryAcquire(10, TimeUnit.SECONDS) : room.tryAcquire();
            if (!got) {
                break;
            }
            topics.poll();
            int packetId = (sentBefore + sent) % 65_535 + 1;
            Publish p = new Publish(
                    topic,
                    QoS.AT_LEAST_ONCE,
                    false,
                    false,
                    packetId,
                    Properties.EMPTY,
                    ByteString.fromArray(new byte[64]));
            publisher.channel().writeAndFlush(fleet.bytes(p));
            sent++;
        }
        return sent;
    }

    private static CompletableFuture<Void> completion(io.netty.channel.ChannelFuture f) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        f.addListener(x -> {
            if (x.isSuccess()) {
                done.complete(null);
            } else {
                done.completeExceptionally(x.cause());
            }
        });
        return done;
    }
}

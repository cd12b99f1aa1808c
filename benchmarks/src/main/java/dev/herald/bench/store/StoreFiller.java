package dev.herald.bench.store;

import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.store.PersistenceSettings;
import dev.herald.mqtt.store.StoreMetrics;
import dev.herald.mqtt.store.internal.BrokerStore;
import dev.herald.mqtt.store.internal.OnCommit;
import dev.herald.mqtt.store.internal.StoredMessage;
import dev.herald.mqtt.store.internal.StoredRetained;
import dev.herald.mqtt.store.internal.StoredSession;
import dev.herald.mqtt.store.internal.StoredSession.StoredSubscription;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.util.ByteString;

/**
 * Fills a data directory through the broker's own store ({@link BrokerStore}, the writer actor with
 * {@code batched} durability, so records are committed in big groups) with retained messages and
 * persistent sessions as a broker would have written them: what {@link RecoveryBench} then restores.
 * At most {@link #OUTSTANDING} records wait for their commit at a time.
 */
final class StoreFiller {

    static final long SESSION_EXPIRY = 86_400;
    private static final int OUTSTANDING = 50_000;
    private static final ByteString PAYLOAD = ByteString.fromArray(new byte[64]);

    private StoreFiller() {}

    /** The topic of retained message {@code i}: a thousand sites of a thousand devices. */
    static String retainedTopic(int i) {
        return "site/" + (i / 1000) + "/device/" + (i % 1000) + "/state";
    }

    static String clientId(int i) {
        return "bench-" + i;
    }

    /** Every {@code queuedEvery}-th session has one QoS 1 message queued. */
    static boolean hasQueued(int i, int queuedEvery) {
        return i % queuedEvery == 0;
    }

    static void fill(Path dir, int retained, int sessions, int queuedEvery) throws InterruptedException {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "store-filler");
        BrokerStore store = BrokerStore.open(new PersistenceSettings(
                true, dir, PersistenceSettings.Durability.BATCHED, Duration.ofMillis(50), 20_000));
        store.start(system, new StoreMetrics());
        Semaphore room = new Semaphore(OUTSTANDING);
        AtomicLong failed = new AtomicLong();
        OnCommit done = stored -> {
            if (!stored) {
                failed.incrementAndGet();
            }
            room.release();
        };
        long now = System.currentTimeMillis();
        try {
            for (int i = 0; i < retained; i++) {
                acquire(room);
                Publish p = new Publish(retainedTopic(i), QoS.AT_LEAST_ONCE, true, false, 0, Properties.EMPTY, PAYLOAD);
                store.putRetained(new StoredRetained(p, now), done);
            }
            for (int i = 0; i < sessions; i++) {
                String id = clientId(i);
                long incarnation = i + 1L;
                List<StoredSubscription> subs = i % 2 == 0
                        ? List.of(subscription("clients/" + id + "/inbox"))
                        : List.of(
                                subscription("clients/" + id + "/inbox"),
                                subscription("site/" + (i % 1000) + "/device/+/alarm"));
                acquire(room);
                store.putSession(new StoredSession(id, incarnation, SESSION_EXPIRY, now, subs, null, 0), done);
                if (hasQueued(i, queuedEvery)) {
                    Publish p = new Publish(
                            "clients/" + id + "/inbox", QoS.AT_LEAST_ONCE, false, false, 0, Properties.EMPTY, PAYLOAD);
                    acquire(room);
                    store.putMessage(
                            id, incarnation, new StoredMessage(1, p, StoredMessage.State.QUEUED, now), true, done);
                }
            }
            acquire(OUTSTANDING, room);
        } finally {
            store.close(system, Duration.ofSeconds(60)).toCompletableFuture().join();
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().join();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " records were not stored (see the log)");
        }
    }

    private static StoredSubscription subscription(String filter) {
        return new StoredSubscription(new Subscription(filter, QoS.AT_LEAST_ONCE), 0);
    }

    private static void acquire(Semaphore room) throws InterruptedException {
        acquire(1, room);
    }

    private static void acquire(int permits, Semaphore room) throws InterruptedException {
        if (!room.tryAcquire(permits, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the store writer committed nothing for 60 s");
        }
    }
}

package dev.herald.mqtt.store.internal;

import dev.herald.mqtt.store.PersistenceSettings;
import dev.herald.mqtt.store.StoreException;
import dev.herald.mqtt.store.StoreMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * What the broker's actors see of persistence. Each record has one owner that changes it: the
 * BrokerActor its sessions (subscriptions, Will, expiry) and retained messages, each SessionActor its
 * messages and incoming QoS 2 packet ids. Changes go to the {@link StoreWriter}; {@code onCommit}, when
 * given, runs once the change is on disk. {@link #NONE} keeps nothing and is what every actor sees
 * with persistence off.
 */
public final class BrokerStore {

    /** Persistence off: nothing is read or written. */
    public static final BrokerStore NONE = new BrokerStore(null, null);

    private static final String DISPATCHER = "herald.mqtt.persistence.writer-dispatcher";

    private final StateStore store;
    private final PersistenceSettings settings;
    private volatile ActorRef<StoreWriter.Command> writer;
    private boolean closedUnstarted;

    private BrokerStore(StateStore store, PersistenceSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    /** Opens the data directory, or throws a {@link StoreException} saying why it cannot be used. */
    public static BrokerStore open(PersistenceSettings settings) {
        if (!settings.enabled()) {
            return NONE;
        }
        return new BrokerStore(StateStore.open(settings.directory()), settings);
    }

    /** Starts the writer in the broker's ActorSystem; before this, nothing may be written. */
    public void start(ActorSystem<?> system, StoreMetrics metrics) {
        if (store != null) {
            Duration interval =
                    settings.durability() == PersistenceSettings.Durability.SYNC ? null : settings.batchInterval();
            metrics.size(store::estimatedBytes);
            writer = system.systemActorOf(
                    StoreWriter.create(store, interval, settings.maxGroupChanges(), metrics),
                    "store-writer",
                    DispatcherSelector.fromConfig(DISPATCHER));
        }
    }

    public boolean enabled() {
        return store != null;
    }

    /** Acknowledgements wait for the changes they promise to be on disk. */
    public boolean sync() {
        return store != null && settings.durability() == PersistenceSettings.Durability.SYNC;
    }

    public StateStore stateStore() {
        return store;
    }

    // --- reads (recovery) -----------------------------------------------------------------------

    public void forEachSession(Consumer<StoredSession> each) {
        if (store != null) {
            byte[][] range = StoreFormat.kindRange(StoreFormat.SESSION);
            store.scan(range[0], range[1], (key, value) -> each.accept(StoreFormat.session(key, value)));
        }
    }

    public void forEachRetained(Consumer<StoredRetained> each) {
        if (store != null) {
            byte[][] range = StoreFormat.kindRange(StoreFormat.RETAINED);
            store.scan(range[0], range[1], (key, value) -> each.accept(StoreFormat.retained(value)));
        }
    }

    /** One session's messages in the order they came. */
    public List<StoredMessage> messages(String clientId, long incarnation) {
        List<StoredMessage> messages = new ArrayList<>();
        if (store != null) {
            byte[][] range = StoreFormat.sessionRange(StoreFormat.MESSAGE, clientId, incarnation);
            store.scan(range[0], range[1], (key, value) -> messages.add(StoreFormat.message(key, value)));
        }
        return messages;
    }

    /** One session's incoming QoS 2 packet ids not yet released. */
    public Set<Integer> inboundQos2(String clientId, long incarnation) {
        Set<Integer> ids = new HashSet<>();
        if (store != null) {
            byte[][] range = StoreFormat.sessionRange(StoreFormat.INBOUND, clientId, incarnation);
            store.scan(range[0], range[1], (key, value) -> ids.add(StoreFormat.inboundPacketId(key)));
        }
        return ids;
    }

    /**
     * Removes the messages and incoming QoS 2 ids of sessions that no longer exist (a crash between a
     * session's end and the removal of its records leaves them); {@code live} maps each restored client
     * id to its session's incarnation. Returns how many sessions' records were removed.
     */
    public int sweepOrphans(Map<String, Long> live) {
        if (store == null) {
            return 0;
        }
        List<StoreOp> ops = new ArrayList<>();
        for (byte kind : new byte[] {StoreFormat.MESSAGE, StoreFormat.INBOUND}) {
            store.forEachSessionRange(kind, (clientId, incarnation) -> {
                if (!incarnation.equals(live.get(clientId))) {
                    byte[][] range = StoreFormat.sessionRange(kind, clientId, incarnation);
                    ops.add(new StoreOp.DeleteRange(range[0], range[1]));
                }
            });
        }
        if (!ops.isEmpty()) {
            writer.tell(new StoreWriter.WriteAll(ops, null));
        }
        return ops.size();
    }

    // --- the BrokerActor's records --------------------------------------------------------------

    public void putSession(StoredSession session, OnCommit onCommit) {
        write(
                new StoreOp.Put(StoreFormat.key(StoreFormat.SESSION, session.clientId()), StoreFormat.session(session)),
                onCommit);
    }

    public void deleteSession(String clientId) {
        write(new StoreOp.Delete(StoreFormat.key(StoreFormat.SESSION, clientId)), null);
    }

    /**
     * A session that expired while the broker was down, with every message and incoming QoS 2 id kept
     * under its client id: no SessionActor owns them, so recovery removes them.
     */
    public void deleteExpiredSession(String clientId) {
        if (store != null) {
            byte[][] messages = StoreFormat.clientRange(StoreFormat.MESSAGE, clientId);
            byte[][] inbound = StoreFormat.clientRange(StoreFormat.INBOUND, clientId);
            writer.tell(new StoreWriter.WriteAll(
                    List.of(
                            new StoreOp.Delete(StoreFormat.key(StoreFormat.SESSION, clientId)),
                            new StoreOp.DeleteRange(messages[0], messages[1]),
                            new StoreOp.DeleteRange(inbound[0], inbound[1])),
                    null));
        }
    }

    public void putRetained(StoredRetained retained, OnCommit onCommit) {
        write(
                new StoreOp.Put(
                        StoreFormat.key(StoreFormat.RETAINED, retained.message().topic()),
                        StoreFormat.retained(retained)),
                onCommit);
    }

    public void deleteRetained(String topic, OnCommit onCommit) {
        write(new StoreOp.Delete(StoreFormat.key(StoreFormat.RETAINED, topic)), onCommit);
    }

    // --- a SessionActor's records ---------------------------------------------------------------

    /** {@code fresh}: the message's first write (see {@link StoreOp.Put}). */
    public void putMessage(String clientId, long incarnation, StoredMessage message, boolean fresh, OnCommit onCommit) {
        write(
                new StoreOp.Put(
                        StoreFormat.messageKey(clientId, incarnation, message.seq()),
                        StoreFormat.message(message),
                        fresh),
                onCommit);
    }

    public void deleteMessage(String clientId, long incarnation, long seq) {
        write(new StoreOp.Delete(StoreFormat.messageKey(clientId, incarnation, seq)), null);
    }

    public void putInboundQos2(String clientId, long incarnation, int packetId, OnCommit onCommit) {
        // Fresh: the id was released (and its record deleted) before the client could use it again.
        write(new StoreOp.Put(StoreFormat.inboundKey(clientId, incarnation, packetId), new byte[0], true), onCommit);
    }

    public void deleteInboundQos2(String clientId, long incarnation, int packetId) {
        write(new StoreOp.Delete(StoreFormat.inboundKey(clientId, incarnation, packetId)), null);
    }

    /** A session's messages and incoming QoS 2 ids, when it ends or stops being persistent. */
    public void deleteSessionState(String clientId, long incarnation) {
        if (store != null) {
            byte[][] messages = StoreFormat.sessionRange(StoreFormat.MESSAGE, clientId, incarnation);
            byte[][] inbound = StoreFormat.sessionRange(StoreFormat.INBOUND, clientId, incarnation);
            writer.tell(new StoreWriter.WriteAll(
                    List.of(
                            new StoreOp.DeleteRange(messages[0], messages[1]),
                            new StoreOp.DeleteRange(inbound[0], inbound[1])),
                    null));
        }
    }

    private void write(StoreOp op, OnCommit onCommit) {
        if (store == null) {
            if (onCommit != null) {
                onCommit.committed(true);
            }
            return;
        }
        writer.tell(new StoreWriter.Write(op, onCommit));
    }

    /** Commits what is pending and closes the store; answers at once when persistence is off. */
    public CompletionStage<Done> close(ActorSystem<?> system, Duration timeout) {
        if (writer == null) {
            closeIfNotStarted();
            return CompletableFuture.completedFuture(Done.getInstance());
        }
        return AskPattern.ask(writer, StoreWriter.Close::new, timeout, system.scheduler());
    }

    /** Closes a store whose writer never started (a broker that failed to start); the writer closes its own. */
    public synchronized void closeIfNotStarted() {
        if (store != null && writer == null && !closedUnstarted) {
            closedUnstarted = true;
            store.close();
        }
    }
}

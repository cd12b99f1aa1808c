package dev.herald.mqtt.store.internal;

import dev.herald.mqtt.store.StoreException;
import dev.herald.mqtt.store.StoreMetrics;
import dev.herald.runtime.SelfAsSame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Commits the changes every owner of durable state sends it, in groups: one atomic write and one
 * fsync for all that arrived together, folded by key first ({@link WriteGroup}). With {@code sync} durability a group is what is in the
 * mailbox when the previous commit ends (the Flush it sends itself queues behind them); with
 * {@code batched}, what arrives in one batch interval. It runs on a dispatcher of its own, since an
 * fsync blocks its thread, and closes the store when it stops.
 */
public final class StoreWriter extends AbstractBehavior<StoreWriter.Command> {

    public interface Command {}

    public record Write(StoreOp op, OnCommit onCommit) implements Command {}

    public record WriteAll(List<StoreOp> ops, OnCommit onCommit) implements Command {}

    /** Commits what is pending, closes the store and stops; the reply says it is closed. */
    public record Close(ActorRef<Done> replyTo) implements Command {}

    private enum Flush implements Command {
        INSTANCE
    }

    private final StateStore store;
    private final StoreMetrics metrics;
    private final int maxGroup;
    private final Duration batchInterval;
    private final TimerScheduler<Command> timers;
    private WriteGroup group = new WriteGroup();
    private List<OnCommit> waiting = new ArrayList<>();
    private boolean flushPending;
    private boolean closed;

    /** {@code batchInterval} null means sync: each group commits as soon as the last one ended. */
    static Behavior<Command> create(StateStore store, Duration batchInterval, int maxGroup, StoreMetrics metrics) {
        return Behaviors.setup(context -> Behaviors.withTimers(
                timers -> new StoreWriter(context, timers, store, batchInterval, maxGroup, metrics)));
    }

    private StoreWriter(
            ActorContext<Command> context,
            TimerScheduler<Command> timers,
            StateStore store,
            Duration batchInterval,
            int maxGroup,
            StoreMetrics metrics) {
        super(context);
        this.maxGroup = maxGroup;
        this.metrics = metrics;
        this.timers = timers;
        this.store = store;
        this.batchInterval = batchInterval;
    }

    @Override
    public Receive<Command> createReceive() {
        Receive<Command> handlers = newReceiveBuilder()
                .onMessage(Write.class, w -> add(w.op(), w.onCommit()))
                .onMessage(WriteAll.class, w -> {
                    w.ops().forEach(group::add);
                    return add(null, w.onCommit());
                })
                .onMessage(Flush.class, flush -> onFlush())
                .onMessage(Close.class, this::onClose)
                .onSignal(PostStop.class, stop -> onStop())
                .build();
        return new SelfAsSame<>(this, handlers);
    }

    private Behavior<Command> add(StoreOp op, OnCommit onCommit) {
        if (op != null) {
            group.add(op);
        }
        if (onCommit != null) {
            waiting.add(onCommit);
        }
        if (group.received() >= maxGroup) {
            commitPending(); // traffic outruns the interval: the group is not held any longer
            return this;
        }
        if (!flushPending) {
            flushPending = true;
            if (batchInterval == null) {
                getContext().getSelf().tell(Flush.INSTANCE);
            } else {
                timers.startSingleTimer(Flush.INSTANCE, batchInterval);
            }
        }
        return this;
    }

    private Behavior<Command> onFlush() {
        flushPending = false;
        commitPending();
        return this;
    }

    private void commitPending() {
        if (group.isEmpty() && waiting.isEmpty()) {
            return;
        }
        WriteGroup changes = group;
        List<OnCommit> callbacks = waiting;
        group = new WriteGroup();
        waiting = new ArrayList<>();
        boolean stored = true;
        if (!changes.isEmpty()) {
            try {
                List<StoreOp> ops = changes.ops();
                long started = System.nanoTime();
                store.commit(ops);
                metrics.recordCommit(ops.size(), System.nanoTime() - started);
            } catch (StoreException e) {
                stored = false;
                metrics.recordFailure();
                getContext().getLog().error("{} ({} changes not stored)", e.getMessage(), changes.received());
            }
        }
        for (OnCommit callback : callbacks) {
            callback.committed(stored);
        }
    }

    private Behavior<Command> onClose(Close close) {
        onStop();
        close.replyTo().tell(Done.getInstance());
        return Behaviors.stopped();
    }

    private Behavior<Command> onStop() {
        if (!closed) {
            closed = true;
            commitPending();
            store.close();
        }
        return this;
    }
}

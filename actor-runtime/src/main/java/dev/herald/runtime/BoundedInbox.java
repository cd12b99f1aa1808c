package dev.herald.runtime;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * An actor's inbox with a bound that senders see: {@link #offer} never blocks and returns false,
 * counting a drop, when {@code capacity} offered messages are still waiting. The actor side takes a
 * message out of the count as its behavior receives it (a {@link BehaviorInterceptor} around the
 * behavior does that), so the mailbox itself stays the ordinary unbounded one and nothing waits.
 *
 * <p>Only messages of the counted class take part; others (timers, replies, control messages) pass
 * uncounted and are sent through {@link #ref()}.
 *
 * <pre>{@code
 * BoundedInbox<Command> inbox = BoundedInbox.spawn(
 *         256, Deliver.class, Worker.create(), behavior -> context.spawn(behavior, "worker"));
 * if (!inbox.offer(new Deliver(message))) {
 *     // full: the newest message was dropped and inbox.dropped() counts it
 * }
 * }</pre>
 *
 * An actor that keeps taken messages in a backlog of its own (waiting for a worker, say) can leave
 * them in the count with {@link #keep()} and take each out with {@link #release()} when it is done
 * with it, so the bound covers the backlog as well.
 */
public final class BoundedInbox<T> {

    private final ActorRef<T> ref;
    private final int capacity;
    private final Class<? extends T> counted;
    private final AtomicInteger depth;
    private final AtomicLong dropped = new AtomicLong();

    private BoundedInbox(ActorRef<T> ref, int capacity, Class<? extends T> counted, AtomicInteger depth) {
        this.ref = ref;
        this.capacity = capacity;
        this.counted = counted;
        this.depth = depth;
    }

    /**
     * Wraps {@code behavior} so that it takes counted messages out of the depth, and starts it with
     * {@code spawner} (e.g. {@code b -> context.spawn(b, "name")} or a system actor).
     */
    public static <T> BoundedInbox<T> spawn(
            int capacity,
            Class<? extends T> counted,
            Behavior<T> behavior,
            Function<Behavior<T>, ActorRef<T>> spawner) {
        if (capacity < 1) {
            throw new IllegalArgumentException("an inbox holds at least one message, not " + capacity);
        }
        Objects.requireNonNull(counted, "counted");
        AtomicInteger depth = new AtomicInteger();
        Behavior<T> intercepted = Behaviors.intercept(() -> new Taking<>(depth, counted), behavior);
        return new BoundedInbox<>(spawner.apply(intercepted), capacity, counted, depth);
    }

    /**
     * Sends {@code message} unless the inbox is full; then the message is dropped and counted.
     *
     * @return whether the message was sent
     */
    public boolean offer(T message) {
        if (!counted.isInstance(message)) {
            throw new IllegalArgumentException("only " + counted.getSimpleName() + " messages are offered");
        }
        int now;
        do {
            now = depth.get();
            if (now >= capacity) {
                dropped.incrementAndGet();
                return false;
            }
        } while (!depth.compareAndSet(now, now + 1));
        ref.tell(message);
        return true;
    }

    /** The actor, for messages that are not counted. */
    public ActorRef<T> ref() {
        return ref;
    }

    /** Called by the actor: a message it took stays in the count (it keeps it in a backlog of its own). */
    public void keep() {
        depth.incrementAndGet();
    }

    /** Called by the actor: a message it {@link #keep() kept} leaves the count. */
    public void release() {
        depth.decrementAndGet();
    }

    /** Messages offered and not yet taken (or kept). */
    public int depth() {
        return Math.max(0, depth.get());
    }

    public int capacity() {
        return capacity;
    }

    /** Messages dropped because the inbox was full, since it was created. */
    public long dropped() {
        return dropped.get();
    }

    /** Takes each counted message out of the depth as the behavior receives it. */
    private static final class Taking<T> extends BehaviorInterceptor<T, T> {
        private final AtomicInteger depth;
        private final Class<? extends T> counted;

        @SuppressWarnings("unchecked")
        Taking(AtomicInteger depth, Class<? extends T> counted) {
            super((Class<T>) (Class<?>) Object.class);
            this.depth = depth;
            this.counted = counted;
        }

        @Override
        public Behavior<T> aroundReceive(TypedActorContext<T> ctx, T msg, ReceiveTarget<T> target) {
            if (counted.isInstance(msg)) {
                depth.decrementAndGet();
            }
            return target.apply(ctx, msg);
        }
    }
}

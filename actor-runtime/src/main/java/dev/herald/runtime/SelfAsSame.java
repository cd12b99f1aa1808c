package dev.herald.runtime;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The handlers of an {@code AbstractBehavior}, answering {@code Behaviors.same()} where they return
 * the behavior itself ({@code return this}). Under an interceptor ({@code Behaviors.withTimers},
 * {@code Behaviors.intercept}, {@link Middleware}, {@link BoundedInbox}) Pekko takes any behavior
 * returned but {@code same()} for a new one and wraps it in new interceptors, at every message.
 *
 * <pre>{@code
 * public Receive<Command> createReceive() {
 *     return new SelfAsSame<>(this, newReceiveBuilder().onMessage(...).build());
 * }
 * }</pre>
 */
public final class SelfAsSame<T> extends Receive<T> {

    private final Behavior<T> self;
    private final Receive<T> handlers;

    public SelfAsSame(Behavior<T> self, Receive<T> handlers) {
        this.self = self;
        this.handlers = handlers;
    }

    @Override
    public Behavior<T> receiveMessage(T message) throws Exception {
        return same(handlers.receiveMessage(message));
    }

    @Override
    public Behavior<T> receiveSignal(Signal signal) throws Exception {
        return same(handlers.receiveSignal(signal));
    }

    private Behavior<T> same(Behavior<T> next) {
        return next == self ? Behaviors.same() : next;
    }
}

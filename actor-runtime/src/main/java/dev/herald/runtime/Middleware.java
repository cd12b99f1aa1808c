package dev.herald.runtime;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Filters in front of a behavior, as a Pekko {@link BehaviorInterceptor}: every message of one type
 * goes through the filter first; other messages and signals pass untouched. The interceptor stays in
 * place whatever behavior the wrapped one turns into, until it stops.
 */
public final class Middleware {

    private Middleware() {}

    public static <T, M extends T> Behavior<T> filter(Class<M> type, MessageFilter<T, M> filter, Behavior<T> behavior) {
        return Behaviors.intercept(() -> new FilterInterceptor<>(type, filter), behavior);
    }

    private static final class FilterInterceptor<T, M extends T> extends BehaviorInterceptor<T, T> {
        private final Class<M> type;
        private final MessageFilter<T, M> filter;

        @SuppressWarnings("unchecked")
        FilterInterceptor(Class<M> type, MessageFilter<T, M> filter) {
            super((Class<T>) type); // only messages of this type reach aroundReceive
            this.type = type;
            this.filter = filter;
        }

        @Override
        public Behavior<T> aroundReceive(TypedActorContext<T> ctx, T message, ReceiveTarget<T> target) {
            return target.apply(ctx, filter.apply(type.cast(message)));
        }

        @Override
        public boolean isSame(BehaviorInterceptor<Object, Object> other) {
            return other instanceof FilterInterceptor<?, ?> f && f.filter == filter;
        }
    }
}

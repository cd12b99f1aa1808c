package dev.herald.runtime;

/**
 * Middleware step: sees a message of type {@code M} before a behavior does and returns what the
 * behavior gets instead: the same message (pass), a changed one, or another message of the
 * behavior's protocol, such as a rejection it answers. {@link Middleware#filter} installs it.
 */
@FunctionalInterface
public interface MessageFilter<T, M extends T> {

    T apply(M message);
}

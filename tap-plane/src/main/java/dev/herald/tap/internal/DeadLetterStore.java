package dev.herald.tap.internal;

import dev.herald.runtime.RateLimitedWarning;
import dev.herald.tap.DeadLetter;
import dev.herald.tap.TapMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Owns the dead letters of one {@link dev.herald.tap.Taps}: the newest {@code capacity} messages the
 * taps gave up on, for listing and replay. When it is full the oldest goes (counted and logged).
 * Each new dead letter is also handed to {@code published} (the dead-letter topic, when configured).
 */
public final class DeadLetterStore extends AbstractBehavior<DeadLetterStore.Command> {

    public interface Command {}

    public record Add(int tapId, String route, TapMessage message, String reason, int attempts) implements Command {}

    public record ListAll(ActorRef<List<DeadLetter>> replyTo) implements Command {}

    /** Removes a dead letter and answers it, or empty when it is no longer there. */
    public record Take(long id, ActorRef<Optional<DeadLetter>> replyTo) implements Command {}

    /** Removes every dead letter and answers them. */
    public record TakeAll(ActorRef<List<DeadLetter>> replyTo) implements Command {}

    private final int capacity;
    private final Consumer<DeadLetter> published;
    private final ArrayDeque<DeadLetter> letters = new ArrayDeque<>();
    private long nextId = 1;
    private final RateLimitedWarning evicted;

    public static Behavior<Command> create(int capacity, Duration logInterval, Consumer<DeadLetter> published) {
        return Behaviors.setup(context -> new DeadLetterStore(context, capacity, logInterval, published));
    }

    private DeadLetterStore(
            ActorContext<Command> context, int capacity, Duration logInterval, Consumer<DeadLetter> published) {
        super(context);
        this.evicted = new RateLimitedWarning(context.getLog(), "Dead letters full", logInterval);
        this.capacity = capacity;
        this.published = published;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Add.class, this::onAdd)
                .onMessage(ListAll.class, list -> {
                    list.replyTo().tell(List.copyOf(letters));
                    return this;
                })
                .onMessage(Take.class, this::onTake)
                .onMessage(TakeAll.class, take -> {
                    take.replyTo().tell(List.copyOf(letters));
                    letters.clear();
                    return this;
                })
                .build();
    }

    private Behavior<Command> onAdd(Add add) {
        DeadLetter letter = new DeadLetter(
                nextId++, add.tapId(), add.route(), add.message(), add.reason(), add.attempts(), Instant.now());
        if (capacity > 0) {
            if (letters.size() == capacity) {
                letters.poll();
                evicted.happened("capacity " + capacity, "the oldest was removed");
            }
            letters.add(letter);
        }
        try {
            published.accept(letter);
        } catch (RuntimeException e) {
            getContext().getLog().warn("Could not publish dead letter {}: {}", letter.id(), e.toString());
        }
        return this;
    }

    private Behavior<Command> onTake(Take take) {
        for (Iterator<DeadLetter> it = letters.iterator(); it.hasNext(); ) {
            DeadLetter letter = it.next();
            if (letter.id() == take.id()) {
                it.remove();
                take.replyTo().tell(Optional.of(letter));
                return this;
            }
        }
        take.replyTo().tell(Optional.empty());
        return this;
    }
}

package dev.herald.tap.internal;

import dev.herald.tap.AsyncTapHandler;
import dev.herald.tap.TapHandler;
import dev.herald.tap.TapRequest;
import java.util.Objects;
import org.apache.pekko.actor.typed.Behavior;

/** The three kinds of tap handler: a function, a function returning a stage, a typed behavior. */
public sealed interface Handler {

    record Sync(TapHandler handler) implements Handler {
        public Sync {
            Objects.requireNonNull(handler, "handler");
        }
    }

    record Async(AsyncTapHandler handler) implements Handler {
        public Async {
            Objects.requireNonNull(handler, "handler");
        }
    }

    record Actor(Behavior<TapRequest> behavior) implements Handler {
        public Actor {
            Objects.requireNonNull(behavior, "behavior");
        }
    }
}

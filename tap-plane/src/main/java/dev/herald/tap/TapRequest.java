package dev.herald.tap;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * What a tap sends to a handler that is the application's own typed {@code Behavior<TapRequest>}.
 * The behavior answers each request with {@link #done()} or {@link #failed(String)} (or tells {@code
 * replyTo} a {@link TapReply} itself) within the handler timeout; a failure is retried like any other.
 *
 * <pre>{@code
 * Behavior<TapRequest> archive = Behaviors.receive(TapRequest.class)
 *         .onMessage(TapRequest.class, request -> {
 *             archive.write(request.message().payloadBytes());
 *             request.done();
 *             return Behaviors.same();
 *         })
 *         .build();
 * taps.onMessage("audit/#", archive);
 * }</pre>
 *
 * @param message the message to handle
 * @param replyTo where the outcome goes
 */
public record TapRequest(TapMessage message, ActorRef<TapReply> replyTo) {

    /** Tells the tap the message is handled. */
    public void done() {
        replyTo.tell(TapReply.done());
    }

    /** Tells the tap handling the message failed, and why. */
    public void failed(String reason) {
        replyTo.tell(TapReply.failed(reason));
    }
}

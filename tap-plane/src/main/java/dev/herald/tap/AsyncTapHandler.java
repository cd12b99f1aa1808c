package dev.herald.tap;

import java.util.concurrent.CompletionStage;

/**
 * An asynchronous tap handler: the message is done when the returned stage completes, failed when it
 * completes exceptionally, or when it does not complete within the handler timeout ({@code
 * herald.taps.handler-timeout}). An ordered tap starts the next message only after the stage is done.
 *
 * <pre>{@code
 * taps.onMessageAsync("orders/{id}", (msg, params) -> http.sendAsync(request(params.get("id"), msg)));
 * }</pre>
 */
@FunctionalInterface
public interface AsyncTapHandler {

    CompletionStage<?> handle(TapMessage message, RouteParams params) throws Exception;
}

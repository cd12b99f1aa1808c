package dev.herald.tap;

/**
 * A synchronous tap handler. It runs on a tap worker thread, never on the broker's publish path (unless
 * the tap is {@link DispatchMode#INLINE}); returning normally means done, throwing means failed and
 * the message is tried again (see {@link RetryPolicy}).
 *
 * <pre>{@code
 * taps.onMessage("sensors/{device_id}/data", (msg, params) -> log.info("{} sent {}", params.get("device_id"), msg.payloadUtf8()));
 * }</pre>
 */
@FunctionalInterface
public interface TapHandler {

    void handle(TapMessage message, RouteParams params) throws Exception;
}

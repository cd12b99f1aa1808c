package dev.herald.tap;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code herald.taps} configuration, read once; {@link Taps.Builder} overrides single values.
 *
 * @param inboxDepth messages a tap's inbox holds before it drops the newest
 * @param dispatch where handlers run by default
 * @param retry how failed messages are tried again by default
 * @param handlerTimeout how long an asynchronous handler may take
 * @param askTimeout how long listing or replaying dead letters may take
 * @param deadLetterCapacity dead letters kept for listing and replay
 * @param deadLetterTopic the topic dead letters are also published to, or empty for none
 * @param deadLetterClientId the client id that publishes them
 * @param dropLogInterval the least time between two warnings about drops of one tap
 * @param dispatcher the configuration path of the dispatcher tap workers run on
 */
public record TapSettings(
        int inboxDepth,
        DispatchMode dispatch,
        RetryPolicy retry,
        Duration handlerTimeout,
        Duration askTimeout,
        int deadLetterCapacity,
        String deadLetterTopic,
        String deadLetterClientId,
        Duration dropLogInterval,
        String dispatcher) {

    public TapSettings {
        if (inboxDepth < 1) {
            throw new IllegalArgumentException("herald.taps.inbox-depth must be at least 1, not " + inboxDepth);
        }
        if (deadLetterCapacity < 0) {
            throw new IllegalArgumentException("herald.taps.dead-letters.capacity must be >= 0");
        }
        Objects.requireNonNull(dispatch, "dispatch");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(handlerTimeout, "handlerTimeout");
        Objects.requireNonNull(askTimeout, "askTimeout");
        Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
        Objects.requireNonNull(deadLetterClientId, "deadLetterClientId");
        Objects.requireNonNull(dropLogInterval, "dropLogInterval");
        Objects.requireNonNull(dispatcher, "dispatcher");
    }

    /** Reads the {@code herald.taps} section (give it a config with the reference defaults). */
    public static TapSettings from(Config config) {
        Config c = config.getConfig("herald.taps");
        return new TapSettings(
                c.getInt("inbox-depth"),
                DispatchMode.parse(c.getString("dispatch")),
                new RetryPolicy(
                        c.getInt("retry.attempts"), c.getDuration("retry.backoff"), c.getDuration("retry.max-backoff")),
                c.getDuration("handler-timeout"),
                c.getDuration("ask-timeout"),
                c.getInt("dead-letters.capacity"),
                c.getString("dead-letters.topic"),
                c.getString("dead-letters.client-id"),
                c.getDuration("drop-log-interval"),
                c.getString("dispatcher"));
    }
}

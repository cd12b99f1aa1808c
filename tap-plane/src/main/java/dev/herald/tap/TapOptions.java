package dev.herald.tap;

import java.util.Objects;

/**
 * How one tap runs, where it differs from the {@link Taps}' settings: ordered or shared, inbox depth,
 * retries, dispatch. Immutable; each method returns a changed copy.
 *
 * <pre>{@code
 * taps.onMessage("jobs/{kind}", TapOptions.shared(8).inboxDepth(1024).retry(RetryPolicy.of(5, Duration.ofMillis(50))), handler);
 * }</pre>
 */
public final class TapOptions {

    private static final TapOptions ORDERED = new TapOptions(0, null, null, null);

    private final int workers; // 0: ordered
    private final Integer inboxDepth;
    private final RetryPolicy retry;
    private final DispatchMode dispatch;

    private TapOptions(int workers, Integer inboxDepth, RetryPolicy retry, DispatchMode dispatch) {
        this.workers = workers;
        this.inboxDepth = inboxDepth;
        this.retry = retry;
        this.dispatch = dispatch;
    }

    /** One message at a time, in publish order (the default). */
    public static TapOptions ordered() {
        return ORDERED;
    }

    /**
     * A pool of {@code workers} handling messages side by side, in no particular order; resize it
     * with {@link Tap#resize(int)}.
     */
    public static TapOptions shared(int workers) {
        return ORDERED.withWorkers(workers);
    }

    /** The most messages this tap's inbox holds before it drops the newest. */
    public TapOptions inboxDepth(int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("an inbox holds at least one message, not " + depth);
        }
        return new TapOptions(workers, depth, retry, dispatch);
    }

    public TapOptions retry(RetryPolicy policy) {
        return new TapOptions(workers, inboxDepth, Objects.requireNonNull(policy, "policy"), dispatch);
    }

    public TapOptions dispatch(DispatchMode mode) {
        return new TapOptions(workers, inboxDepth, retry, Objects.requireNonNull(mode, "mode"));
    }

    private TapOptions withWorkers(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a shared tap has at least one worker, not " + n);
        }
        return new TapOptions(n, inboxDepth, retry, dispatch);
    }

    public boolean isShared() {
        return workers > 0;
    }

    /** Workers at the start: 1 when ordered. */
    public int workers() {
        return Math.max(1, workers);
    }

    /** This tap's inbox depth, or the default. */
    public int inboxDepth(TapSettings defaults) {
        return inboxDepth != null ? inboxDepth : defaults.inboxDepth();
    }

    public RetryPolicy retry(TapSettings defaults) {
        return retry != null ? retry : defaults.retry();
    }

    public DispatchMode dispatch(TapSettings defaults) {
        return dispatch != null ? dispatch : defaults.dispatch();
    }
}

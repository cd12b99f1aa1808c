package dev.herald.tap;

/**
 * What a tap has done since it was registered: a snapshot of its counters, e.g. for Prometheus meters.
 *
 * @param id the tap's number in its {@link Taps}
 * @param route the route it was registered with
 * @param dispatch where its handler runs
 * @param shared whether it runs a pool of unordered workers (else one message at a time, in order)
 * @param workers its current workers (0 for {@link DispatchMode#INLINE})
 * @param inboxDepth messages waiting in its inbox
 * @param inboxCapacity the most messages its inbox holds
 * @param delivered messages its handler finished
 * @param dropped messages dropped because its inbox was full
 * @param failures tries that failed (thrown, failed stage, failed reply or timeout)
 * @param retries tries after a failure
 * @param deadLettered messages given up on after every try failed
 * @param workerRestarts workers restarted by supervision after a failure
 */
public record TapStats(
        int id,
        String route,
        DispatchMode dispatch,
        boolean shared,
        int workers,
        int inboxDepth,
        int inboxCapacity,
        long delivered,
        long dropped,
        long failures,
        long retries,
        long deadLettered,
        long workerRestarts) {

    /** {@code ordered} or {@code shared}. */
    public String mode() {
        return shared ? "shared" : "ordered";
    }
}

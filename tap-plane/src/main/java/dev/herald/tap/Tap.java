package dev.herald.tap;

/**
 * A registered tap, as {@link Taps#onMessage} returns it: its counters, its pool size, and a way to
 * remove it.
 *
 * <pre>{@code
 * Tap jobs = taps.onMessage("jobs/{kind}", TapOptions.shared(4), (msg, params) -> run(params.get("kind"), msg));
 * jobs.resize(16); // more workers, while it runs
 * }</pre>
 */
public interface Tap {

    /** The tap's number, unique in its {@link Taps}. */
    int id();

    /** The route it was registered with. */
    String route();

    /** Its counters now. */
    TapStats stats();

    /**
     * Changes the number of workers of a {@link TapOptions#shared shared} tap at run time. Workers
     * beyond the new size stop once they finish what they are handling.
     *
     * @throws IllegalStateException for an ordered or inline tap
     * @throws IllegalArgumentException when {@code workers} is below 1
     */
    void resize(int workers);

    /** Stops the tap: it sees no more messages, and what waits in its inbox is not handled. */
    void close();
}

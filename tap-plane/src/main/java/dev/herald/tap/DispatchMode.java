package dev.herald.tap;

/** Where a tap's handler runs. */
public enum DispatchMode {
    /**
     * Behind the tap's actor and bounded inbox, on worker threads of their own: the broker's publish
     * path only offers the message and never waits. The default, and the only mode for production.
     */
    ACTOR,
    /**
     * Directly on the publishing connection's path, without inbox, retries or ordering guarantees
     * beyond the connection's own; a slow handler slows that client down. For measuring the cost of
     * the actor hop only. Failures are counted and go to the dead letters after one attempt.
     */
    INLINE;

    /** {@code actor} or {@code inline}, as written in configuration. */
    public static DispatchMode parse(String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "actor" -> ACTOR;
            case "inline" -> INLINE;
            default -> throw new IllegalArgumentException("dispatch mode is 'actor' or 'inline', not '" + value + "'");
        };
    }
}

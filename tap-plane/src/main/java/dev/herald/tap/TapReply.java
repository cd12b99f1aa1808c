package dev.herald.tap;

/** The outcome of a {@link TapRequest}: {@link Done} or {@link Failed}. */
public sealed interface TapReply {

    /** The message is handled. */
    enum Done implements TapReply {
        INSTANCE
    }

    /** Handling the message failed; the tap retries it or gives it to the dead letters. */
    record Failed(String reason) implements TapReply {}

    static TapReply done() {
        return Done.INSTANCE;
    }

    static TapReply failed(String reason) {
        return new Failed(reason);
    }
}

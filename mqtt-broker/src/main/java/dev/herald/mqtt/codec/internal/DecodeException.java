package dev.herald.mqtt.codec.internal;

import dev.herald.mqtt.codec.DecodeError;

/**
 * Carries a {@link DecodeError} out of nested reads. Only bad input throws it, never a valid packet,
 * and it has no stack trace; {@code MqttDecoder} catches it so nothing escapes the decoder.
 */
public final class DecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient DecodeError error;

    public DecodeException(DecodeError error) {
        super(error.reason(), null, false, false);
        this.error = error;
    }

    public DecodeError error() {
        return error;
    }

    public static DecodeException malformed(String reason) {
        return new DecodeException(DecodeError.malformed(reason));
    }

    public static DecodeException protocolError(String reason) {
        return new DecodeException(DecodeError.protocolError(reason));
    }
}

package dev.herald.mqtt.transport;

import dev.herald.mqtt.codec.DecodeError;

/** Fails the framing stage with the typed {@link DecodeError} the connection answers with. */
public final class MqttFramingException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient DecodeError error;

    public MqttFramingException(DecodeError error) {
        super(error.toString(), null, false, false);
        this.error = error;
    }

    public DecodeError error() {
        return error;
    }
}

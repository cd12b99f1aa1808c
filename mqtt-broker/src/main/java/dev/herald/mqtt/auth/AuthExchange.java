package dev.herald.mqtt.auth;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.util.ByteString;

/**
 * One enhanced authentication exchange (MQTT 5.0 section 4.12) for one connection, from the CONNECT
 * (or the AUTH 0x19 that starts a re-authentication) to its last step. The broker calls
 * {@link #step} once per packet the client sends, never concurrently, and waits for each stage.
 */
public interface AuthExchange {

    /**
     * The client's Authentication Data of the CONNECT or AUTH (empty when it sent none); the outcome
     * is a {@link AuthOutcome.Challenge} to send back, or the exchange's end.
     */
    CompletionStage<AuthOutcome> step(ByteString clientData);
}

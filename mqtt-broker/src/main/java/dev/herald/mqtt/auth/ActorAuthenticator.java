package dev.herald.mqtt.auth;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.util.ByteString;

/**
 * An {@link Authenticator} that asks an actor: the application's own typed behavior decides, with
 * whatever state and protocol it likes. An actor that does not answer within the timeout refuses
 * the client with 0x88 Server unavailable (the check failed, not the client).
 */
public final class ActorAuthenticator implements Authenticator {

    private final ActorRef<AuthRequest> actor;
    private final Duration timeout;
    private final Scheduler scheduler;

    public ActorAuthenticator(ActorRef<AuthRequest> actor, Duration timeout, Scheduler scheduler) {
        this.actor = actor;
        this.timeout = timeout;
        this.scheduler = scheduler;
    }

    @Override
    public CompletionStage<AuthOutcome> authenticate(ClientInfo client, ByteString password) {
        CompletionStage<AuthOutcome> answer =
                AskPattern.ask(actor, replyTo -> new AuthRequest(client, password, replyTo), timeout, scheduler);
        return answer.exceptionally(e -> AuthOutcome.refused(
                AuthOutcome.Reason.UNAVAILABLE, "authenticator " + actor.path() + " did not answer: " + e));
    }
}

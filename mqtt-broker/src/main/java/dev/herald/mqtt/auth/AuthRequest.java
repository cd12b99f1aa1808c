package dev.herald.mqtt.auth;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.util.ByteString;

/**
 * The message an authenticator written as a typed {@code Behavior<AuthRequest>} receives for each
 * CONNECT: the client, the password it sent (null when none), and where to send the
 * {@link AuthOutcome} (Accepted or Refused).
 */
public record AuthRequest(ClientInfo client, ByteString password, ActorRef<AuthOutcome> replyTo) {}

package dev.herald.tap;

import java.time.Instant;

/**
 * A message a tap gave up on: every try failed. {@link Taps#deadLetters()} lists them and {@link
 * Taps#replay(DeadLetter)} offers one to its tap again.
 *
 * @param id unique among this {@link Taps}' dead letters
 * @param tapId the tap that gave up ({@link TapStats#id()})
 * @param route that tap's route
 * @param message the message, as the tap received it
 * @param reason why the last try failed
 * @param attempts how many tries there were
 * @param at when the tap gave up
 */
public record DeadLetter(
        long id, int tapId, String route, TapMessage message, String reason, int attempts, Instant at) {}

/**
 * The tap plane: application handlers on the messages a Herald broker routes. {@link dev.herald.tap.Taps}
 * registers routes with named parameters and runs each behind a bounded, counted inbox.
 */
package dev.herald.tap;

/**
 * How taps run: route templates, the tap actor with its workers, the dead-letter store and the
 * publish listener that offers messages without blocking.
 */
package dev.herald.tap.internal;

/** The tap-delay measurement: a broker with one slow tap, dispatched inline or through its actor. */
package dev.herald.bench.tap;

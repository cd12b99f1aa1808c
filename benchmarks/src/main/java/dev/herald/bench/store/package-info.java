/** Benchmarks of the broker's persistence: filling a data directory, recovery time and memory, resuming a session. */
package dev.herald.bench.store;

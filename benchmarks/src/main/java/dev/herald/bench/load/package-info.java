/**
 * The load generator: MQTT clients on Netty with pre-encoded packets that drive any broker on
 * 127.0.0.1 through bounded scenarios and report throughput, losses, latency and the broker's CPU.
 */
package dev.herald.bench.load;

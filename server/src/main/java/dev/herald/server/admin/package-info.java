/**
 * Admin HTTP on Netty as a {@link dev.herald.runtime.ProtocolBinding}: health, Prometheus metrics
 * (the broker's counters through Micrometer) and read-only views of clients, subscriptions and, on a
 * cluster node, the cluster's members.
 */
package dev.herald.server.admin;

/**
 * One owner across nodes: {@link dev.herald.cluster.ClusterSingleOwner} runs a single owner as a Pekko
 * cluster singleton, {@link dev.herald.cluster.HeraldCluster} builds a node's configuration from
 * {@code herald.cluster} (fail-over timings included) and picks the single-owner strategy for a system.
 */
package dev.herald.cluster;

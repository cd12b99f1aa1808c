/** JUnit 5 support for testing actor protocols on a cluster: several cluster nodes in one JVM. */
package dev.herald.cluster.testkit;

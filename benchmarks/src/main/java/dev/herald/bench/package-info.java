/** JMH benchmarks of Herald's codec and framing; run them from the shaded benchmarks.jar. */
package dev.herald.bench;

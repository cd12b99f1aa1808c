/** JUnit 5 support for testing against a real Herald broker: one embedded broker per test class. */
package dev.herald.mqtt.testkit;

/**
 * What Herald's actors share that is not MQTT: single owners, protocol bindings run by one server
 * runtime, and bounded, counted inboxes.
 */
package dev.herald.runtime;

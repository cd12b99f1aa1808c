/** What Herald's actors share that is not MQTT: single owners and bounded, counted inboxes. */
package dev.herald.runtime;

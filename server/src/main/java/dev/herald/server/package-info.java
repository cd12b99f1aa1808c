/** The runnable Herald broker: command line, configuration, startup and shutdown. */
package dev.herald.server;

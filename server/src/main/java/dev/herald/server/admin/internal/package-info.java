/** The admin HTTP server's Netty handler, request routing and JSON bodies. */
package dev.herald.server.admin.internal;

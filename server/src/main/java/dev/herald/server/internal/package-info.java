/** Build-time support of the distribution: conf/herald.conf generated from the modules' defaults. */
package dev.herald.server.internal;

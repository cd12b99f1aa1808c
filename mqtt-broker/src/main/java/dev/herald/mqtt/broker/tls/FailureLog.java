package dev.herald.mqtt.broker.tls;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * One log line per failed TLS connection (handshake refused, untrusted or expired certificate, plain
 * MQTT on the TLS port), naming the client and the reason; under a flood at most {@link #BURST} lines
 * per interval, then one line with the count of those not logged. Thread-safe.
 */
final class FailureLog {

    static final int BURST = 10;

    private final Logger log;
    private final String listener;
    private final long intervalNanos;
    private long windowStart = System.nanoTime();
    private int inWindow;
    private long suppressed;

    FailureLog(Logger log, String listener, Duration interval) {
        this.log = log;
        this.listener = listener;
        this.intervalNanos = interval.toNanos();
    }

    /** Logs the failure, or counts it when this interval's lines are used up; true when logged. */
    synchronized boolean failed(InetSocketAddress client, Throwable cause) {
        long now = System.nanoTime();
        if (now - windowStart >= intervalNanos) {
            if (suppressed > 0) {
                log.warn("{}: {} more TLS connection failures were not logged", listener, suppressed);
            }
            windowStart = now;
            inWindow = 0;
            suppressed = 0;
        }
        if (inWindow++ < BURST) {
            log.info("{}: TLS connection from {} failed, closing it: {}", listener, client, reason(cause));
            return true;
        }
        suppressed++;
        return false;
    }

    /** The innermost message: the SSLException's own, without the stream wrapping. */
    static String reason(Throwable cause) {
        Throwable t = cause;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}

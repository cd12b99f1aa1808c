package dev.herald.mqtt.broker.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A flood of failed handshakes gives a bounded number of log lines. */
class FailureLogTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);

    @Test
    void aFloodIsLoggedAtMostBurstTimesPerInterval() {
        FailureLog log = new FailureLog(LoggerFactory.getLogger(FailureLogTest.class), "test", Duration.ofHours(1));
        int logged = 0;
        for (int i = 0; i < 1000; i++) {
            if (log.failed(CLIENT, new IllegalStateException(new SSLHandshakeException("bad certificate")))) {
                logged++;
            }
        }
        assertThat(logged).isEqualTo(FailureLog.BURST);
    }

    @Test
    void eachIntervalLogsAgain() {
        FailureLog log = new FailureLog(LoggerFactory.getLogger(FailureLogTest.class), "test", Duration.ZERO);
        for (int i = 0; i < 20; i++) {
            assertThat(log.failed(CLIENT, new SSLHandshakeException("x"))).isTrue();
        }
    }

    @Test
    void theReasonIsTheInnermostCause() {
        Throwable wrapped = new IllegalStateException("stream failed", new SSLHandshakeException("no cipher suites"));
        assertThat(FailureLog.reason(wrapped)).isEqualTo("SSLHandshakeException: no cipher suites");
    }
}

package dev.herald.mqtt.broker.tls;

import dev.herald.mqtt.broker.BrokerContext;
import dev.herald.mqtt.broker.ConnectionIdentity;
import dev.herald.mqtt.transport.TcpListener;
import dev.herald.runtime.ProtocolBinding;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLException;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.TLSClosing;
import org.apache.pekko.stream.TLSProtocol;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.TLS;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT over TLS ({@code herald.mqtt.tls}): a Pekko Streams TCP listener whose every connection runs
 * through a Pekko {@link TLS} stage with a new engine from {@link ServerTls}, then to the broker like
 * any other. With client authentication, the verified certificate's CN or first SAN may become the
 * client's username ({@link ConnectionIdentity}). A connection whose handshake fails (no or untrusted
 * or expired client certificate, an old protocol, plain MQTT) is closed with one log line.
 */
public final class MqttTlsBinding implements ProtocolBinding {

    public static final String NAME = "mqtt-tls";
    private static final Logger log = LoggerFactory.getLogger(MqttTlsBinding.class);
    // Packets queued while the TLS stage is busy are encrypted together, up to one record's plaintext
    // (16 kB), instead of one record (and one MAC, one header) per packet.
    private static final long MAX_RECORD_BATCH = 16 * 1024;

    private final BrokerContext broker;
    private final TlsSettings settings;
    private final FailureLog failures;
    private volatile ServerTls tls;
    private final TcpListener listener = new TcpListener();

    public MqttTlsBinding(BrokerContext broker, TlsSettings settings) {
        this.broker = broker;
        this.settings = settings;
        this.failures = new FailureLog(log, NAME, settings.failureLogInterval());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletionStage<List<InetSocketAddress>> start() {
        try {
            tls = ServerTls.start(settings, NAME, broker.system());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return listener.bind(broker.system(), settings.bind(), settings.port(), this::accept);
    }

    private void accept(InetSocketAddress remote, Flow<ByteString, ByteString, NotUsed> tcp) {
        ServerTls current = tls;
        PeerIdentity identity = new PeerIdentity();
        Flow<TLSProtocol.SslTlsOutbound, TLSProtocol.SslTlsInbound, NotUsed> secured = TLS.create(
                        current::newEngine,
                        session -> identity.username = current.certificateUsername(session),
                        TLSClosing.eagerClose())
                .join(tcp);
        Flow<ByteString, ByteString, NotUsed> plain = Flow.<ByteString>create()
                .<ByteString>batchWeighted(
                        MAX_RECORD_BATCH, bytes -> (long) bytes.size(), bytes -> bytes, ByteString::concat)
                .<TLSProtocol.SslTlsOutbound>map(TLSProtocol.SendBytes::new)
                .via(secured)
                .filter(in -> in instanceof TLSProtocol.SessionBytes)
                .map(in -> ((TLSProtocol.SessionBytes) in).bytes())
                .watchTermination((notUsed, done) -> {
                    done.whenComplete((d, failure) -> {
                        if (failure != null) {
                            failed(remote, failure);
                        }
                    });
                    return NotUsed.getInstance();
                });
        broker.accept(remote, plain, identity);
    }

    private void failed(InetSocketAddress remote, Throwable failure) {
        if (isTls(failure)) {
            failures.failed(remote, failure);
        } else {
            log.debug("{}: connection from {} failed: {}", NAME, remote, failure.toString());
        }
    }

    private static boolean isTls(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    /** Filled in by the TLS stage when the handshake completes, before any MQTT byte is passed on. */
    private static final class PeerIdentity implements ConnectionIdentity {
        volatile String username;

        @Override
        public String verifiedUsername() {
            return username;
        }
    }

    @Override
    public CompletionStage<Done> stop(Duration deadline) {
        ServerTls current = tls;
        if (current != null) {
            current.close();
        }
        return listener.unbind();
    }

    @Override
    public List<InetSocketAddress> boundAddresses() {
        return listener.addresses();
    }
}

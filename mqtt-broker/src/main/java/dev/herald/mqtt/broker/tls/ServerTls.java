package dev.herald.mqtt.broker.tls;

import dev.herald.mqtt.broker.internal.WatchedFiles;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of TLS shared by the TLS and secure WebSocket listeners: a new {@link SSLEngine}
 * per connection from the current {@link SSLContext}, which is rebuilt when the key material files
 * change (existing connections keep the context they started with; a reload that fails keeps the old
 * one), and the username a verified client certificate carries.
 */
public final class ServerTls implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

    private final TlsSettings settings;
    private final String listener;
    private volatile SSLContext context;
    // Only the reload task uses it after construction.
    private final WatchedFiles files;
    private volatile Cancellable reloads;

    /**
     * Loads the key material (an {@link IllegalArgumentException} names what is wrong) and, with a
     * positive {@code reload-interval}, checks the files for changes on the system's blocking dispatcher.
     */
    public static ServerTls start(TlsSettings settings, String listener, ActorSystem<?> system) {
        ServerTls tls = new ServerTls(settings, listener);
        if (settings.reloadInterval().toMillis() > 0) {
            tls.reloads = system.scheduler()
                    .scheduleWithFixedDelay(
                            settings.reloadInterval(),
                            settings.reloadInterval(),
                            tls::reloadIfChanged,
                            system.dispatchers().lookup(DispatcherSelector.blocking()));
        }
        return tls;
    }

    private ServerTls(TlsSettings settings, String listener) {
        this.settings = settings;
        this.listener = listener;
        this.files = new WatchedFiles(settings.watchedFiles());
        try {
            this.context = KeyMaterial.sslContext(settings);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("TLS for " + listener + ": " + e.getMessage(), e);
        }
    }

    /** A server-mode engine with the configured protocols, cipher suites and client authentication. */
    public SSLEngine newEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(settings.protocols().toArray(new String[0]));
        if (!settings.cipherSuites().isEmpty()) {
            parameters.setCipherSuites(settings.cipherSuites().toArray(new String[0]));
        }
        switch (settings.clientAuth()) {
            case REQUIRED -> parameters.setNeedClientAuth(true);
            case OPTIONAL -> parameters.setWantClientAuth(true);
            case NONE -> parameters.setNeedClientAuth(false);
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    /**
     * The MQTT username of a handshaken session's verified client certificate, per {@code
     * use-certificate-as-username}; null when off, without a certificate, or without that name.
     */
    public String certificateUsername(SSLSession session) {
        if (settings.useCertificateAsUsername() == TlsSettings.UsernameSource.OFF) {
            return null;
        }
        Certificate[] peer;
        try {
            peer = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException noCertificate) {
            return null;
        }
        if (peer.length == 0 || !(peer[0] instanceof X509Certificate certificate)) {
            return null;
        }
        return settings.useCertificateAsUsername() == TlsSettings.UsernameSource.CN
                ? commonName(certificate)
                : firstSubjectAltName(certificate);
    }

    static String commonName(X509Certificate certificate) {
        try {
            List<Rdn> rdns =
                    new LdapName(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253)).getRdns();
            // LdapName lists the most significant first; the CN is usually the last.
            for (int i = rdns.size() - 1; i >= 0; i--) {
                if (rdns.get(i).getType().equalsIgnoreCase("CN")) {
                    return rdns.get(i).getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            log.debug("Unparsable certificate subject: {}", e.toString());
        }
        return null;
    }

    static String firstSubjectAltName(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return null;
            }
            for (List<?> name : names) {
                // rfc822Name (1), dNSName (2), URI (6) and iPAddress (7) are strings.
                if (name.size() == 2 && name.get(1) instanceof String value) {
                    return value;
                }
            }
        } catch (CertificateParsingException e) {
            log.debug("Unparsable subject alternative names: {}", e.toString());
        }
        return null;
    }

    void reloadIfChanged() {
        if (!files.changed()) {
            return;
        }
        try {
            context = KeyMaterial.sslContext(settings);
            log.info("TLS key material of {} reloaded from {}: new connections use it", listener, files);
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            log.warn(
                    "TLS key material of {} changed but cannot be loaded, keeping the previous one: {}",
                    listener,
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        Cancellable task = reloads;
        if (task != null) {
            task.cancel();
        }
    }
}

package dev.herald.mqtt.broker.tls;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The {@code herald.mqtt.tls} section: the TLS listener, and the key material, protocols and client
 * authentication it shares with MQTT over secure WebSocket ({@code herald.mqtt.websocket.tls}).
 * A path is null when its key is empty.
 */
public record TlsSettings(
        boolean enabled,
        String bind,
        int port,
        Path certificateChain,
        Path privateKey,
        Path keystore,
        String keystorePassword,
        List<String> protocols,
        List<String> cipherSuites,
        ClientAuth clientAuth,
        Path clientCa,
        UsernameSource useCertificateAsUsername,
        Duration reloadInterval,
        Duration failureLogInterval) {

    /** Whether clients present a certificate, checked against {@code client-ca}. */
    public enum ClientAuth {
        NONE,
        OPTIONAL,
        REQUIRED
    }

    /** Which part of a verified client certificate becomes the MQTT username. */
    public enum UsernameSource {
        /** The subject's common name. */
        CN,
        /** The first subject alternative name (DNS, e-mail, URI or IP address). */
        SAN,
        OFF
    }

    private static final String SECTION = "herald.mqtt.tls";

    public static TlsSettings from(Config root) {
        Config c = root.getConfig(SECTION);
        List<String> protocols = c.getStringList("protocols");
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException(SECTION + ".protocols must name at least one protocol");
        }
        ClientAuth clientAuth = oneOf(c, "client-auth", ClientAuth.class);
        Path clientCa = path(c, "client-ca");
        if (clientAuth != ClientAuth.NONE && clientCa == null) {
            throw new IllegalArgumentException(
                    SECTION + ".client-ca (a PEM file of CA certificates) is needed with client-auth = "
                            + clientAuth.name().toLowerCase(Locale.ROOT));
        }
        Duration reload = c.getDuration("reload-interval");
        if (reload.isNegative()) {
            throw new IllegalArgumentException(SECTION + ".reload-interval must not be negative");
        }
        return new TlsSettings(
                c.getBoolean("enabled"),
                c.getString("bind"),
                c.getInt("port"),
                path(c, "certificate-chain"),
                path(c, "private-key"),
                path(c, "keystore"),
                c.getString("keystore-password"),
                List.copyOf(protocols),
                List.copyOf(c.getStringList("cipher-suites")),
                clientAuth,
                clientCa,
                oneOf(c, "use-certificate-as-username", UsernameSource.class),
                reload,
                c.getDuration("failure-log-interval"));
    }

    /** Throws, naming the keys, unless exactly one kind of key material is configured. */
    void requireKeyMaterial() {
        boolean pem = certificateChain != null || privateKey != null;
        if (pem && keystore != null) {
            throw new IllegalArgumentException(
                    SECTION + ": set either certificate-chain and private-key (PEM) or keystore (PKCS#12), not both");
        }
        if (keystore == null && (certificateChain == null || privateKey == null)) {
            throw new IllegalArgumentException(
                    SECTION + ": TLS needs certificate-chain and private-key (PEM) or keystore (PKCS#12)");
        }
    }

    /** The files whose change triggers a reload. */
    List<Path> watchedFiles() {
        return java.util.stream.Stream.of(certificateChain, privateKey, keystore, clientCa)
                .filter(p -> p != null)
                .toList();
    }

    private static Path path(Config c, String key) {
        String value = c.getString(key);
        return value.isBlank() ? null : Path.of(value);
    }

    private static <E extends Enum<E>> E oneOf(Config c, String key, Class<E> type) {
        // HOCON reads an unquoted off as the boolean false.
        String value = c.getString(key).equals("false") ? "off" : c.getString(key);
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> allowed = java.util.Arrays.stream(type.getEnumConstants())
                    .map(v -> v.name().toLowerCase(Locale.ROOT))
                    .toList();
            throw new IllegalArgumentException(
                    SECTION + "." + key + " must be one of " + allowed + ", not '" + value + "'", e);
        }
    }
}

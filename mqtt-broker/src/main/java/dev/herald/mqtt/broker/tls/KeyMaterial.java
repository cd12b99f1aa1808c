package dev.herald.mqtt.broker.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the server's {@link SSLContext} from the configured files with the JDK alone: a PEM
 * certificate chain and PKCS#8 private key, or a PKCS#12 keystore; and, for client authentication, a
 * PEM bundle of trusted CA certificates. Every problem is an exception naming the file.
 */
final class KeyMaterial {

    private static final String BEGIN_KEY = "-----BEGIN PRIVATE KEY-----";
    private static final String END_KEY = "-----END PRIVATE KEY-----";
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");
    // Only for the in-memory keystore that hands the PEM key to the KeyManagerFactory.
    private static final char[] IN_MEMORY_PASSWORD = "herald".toCharArray();

    private KeyMaterial() {}

    static SSLContext sslContext(TlsSettings settings) throws GeneralSecurityException, IOException {
        settings.requireKeyMaterial();
        KeyStore keys;
        char[] password;
        if (settings.keystore() != null) {
            password = settings.keystorePassword().toCharArray();
            keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(settings.keystore())) {
                keys.load(in, password);
            } catch (IOException e) {
                throw new IOException("cannot read keystore " + settings.keystore() + ": " + e.getMessage(), e);
            }
        } else {
            List<Certificate> chain = certificates(settings.certificateChain());
            password = IN_MEMORY_PASSWORD;
            keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            PrivateKey key = privateKey(settings.privateKey());
            requirePair(key, chain.get(0), settings.privateKey(), settings.certificateChain());
            keys.setKeyEntry("server", key, password, chain.toArray(new Certificate[0]));
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        TrustManagerFactory tmf = null;
        if (settings.clientAuth() != TlsSettings.ClientAuth.NONE) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            List<Certificate> cas = certificates(settings.clientCa());
            for (int i = 0; i < cas.size(); i++) {
                trusted.setCertificateEntry("ca-" + i, cas.get(i));
            }
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        List<String> supported = List.of(context.getSupportedSSLParameters().getProtocols());
        for (String protocol : settings.protocols()) {
            if (!supported.contains(protocol)) {
                throw new IllegalArgumentException(
                        "herald.mqtt.tls.protocols: '" + protocol + "' is not supported here " + supported);
            }
        }
        return context;
    }

    /** The certificates of a PEM file (one or more BEGIN CERTIFICATE blocks). */
    static List<Certificate> certificates(Path file) throws GeneralSecurityException, IOException {
        Collection<? extends Certificate> read;
        try (InputStream in = Files.newInputStream(file)) {
            read = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException("cannot read certificates from " + file + ": " + e.getMessage(), e);
        }
        if (read.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + file);
        }
        return new ArrayList<>(read);
    }

    /**
     * Refuses a key that is not the certificate's, by signing with one and verifying with the other:
     * a key and certificate replaced one after the other are loaded only once both are in place, and
     * a wrong pair is an error at start rather than failed handshakes. Key types without a signature
     * named here (RSASSA-PSS) are not checked.
     */
    static void requirePair(PrivateKey key, Certificate certificate, Path keyFile, Path certificateFile)
            throws GeneralSecurityException {
        String algorithm =
                switch (key.getAlgorithm()) {
                    case "RSA" -> "SHA256withRSA";
                    case "EC" -> "SHA256withECDSA";
                    case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
                    default -> null;
                };
        if (algorithm == null) {
            return;
        }
        byte[] probe = "herald key pair check".getBytes(StandardCharsets.US_ASCII);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (InvalidKeyException | SignatureException e) {
            throw new GeneralSecurityException(
                    "the private key in " + keyFile + " cannot be checked against the first certificate in "
                            + certificateFile + ": " + e.getMessage(),
                    e);
        }
        if (!matches) {
            throw new GeneralSecurityException("the private key in " + keyFile
                    + " is not the key of the first certificate in " + certificateFile
                    + " (the server certificate comes first, then its issuers)");
        }
    }

    /** An unencrypted PKCS#8 key (BEGIN PRIVATE KEY) of any algorithm the JDK knows. */
    static PrivateKey privateKey(Path file) throws GeneralSecurityException, IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        int begin = pem.indexOf(BEGIN_KEY);
        int end = pem.indexOf(END_KEY);
        if (begin < 0 || end < begin) {
            String hint = pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN EC PRIVATE KEY")
                    ? " (it is PKCS#1/SEC1: convert it with 'openssl pkcs8 -topk8 -nocrypt')"
                    : pem.contains("BEGIN ENCRYPTED PRIVATE KEY") ? " (encrypted keys are not supported)" : "";
            throw new GeneralSecurityException("no PKCS#8 private key (" + BEGIN_KEY + ") in " + file + hint);
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN_KEY.length(), end));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException notThisOne) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException("unsupported private key algorithm in " + file);
    }
}

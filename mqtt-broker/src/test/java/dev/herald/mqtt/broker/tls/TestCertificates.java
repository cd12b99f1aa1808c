package dev.herald.mqtt.broker.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * CAs and certificates made at test time (EC P-256, BouncyCastle), written as PEM files the broker
 * reads: nothing secret is committed. A server certificate names 127.0.0.1 and localhost.
 */
final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static final Duration VALIDITY = Duration.ofDays(1);

    private TestCertificates() {}

    /** A key pair with its certificate and the chain up to (not including) the root. */
    record Issued(KeyPair keys, X509Certificate certificate, List<X509Certificate> chain) {

        /** A certificate signed by this one (a CA), valid from an hour ago for a day. */
        Issued issue(String cn, boolean server) {
            Instant now = Instant.now();
            return issue(cn, server, now.minus(Duration.ofHours(1)), now.plus(VALIDITY));
        }

        /** A client certificate that expired an hour ago. */
        Issued issueExpired(String cn) {
            Instant now = Instant.now();
            return issue(cn, false, now.minus(Duration.ofDays(2)), now.minus(Duration.ofHours(1)));
        }

        /** A certificate signed by this one for {@code pair}, of any key algorithm, valid for a day. */
        Issued issue(String cn, boolean server, KeyPair pair) {
            Instant now = Instant.now();
            return issue(cn, server, pair, now.minus(Duration.ofHours(1)), now.plus(VALIDITY));
        }

        Issued issue(String cn, boolean server, Instant notBefore, Instant notAfter) {
            return issue(cn, server, newKeys(), notBefore, notAfter);
        }

        private Issued issue(String cn, boolean server, KeyPair pair, Instant notBefore, Instant notAfter) {
            List<GeneralName> names = new ArrayList<>();
            if (server) {
                names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
                names.add(new GeneralName(GeneralName.dNSName, "localhost"));
            } else {
                names.add(new GeneralName(GeneralName.dNSName, cn + ".devices.example"));
            }
            X509Certificate cert = build(
                    certificate.getSubjectX500Principal(),
                    new X500Principal("CN=" + cn + ", O=Herald tests"),
                    pair,
                    keys,
                    notBefore,
                    notAfter,
                    false,
                    names,
                    server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth);
            List<X509Certificate> newChain = new ArrayList<>();
            newChain.add(cert);
            return new Issued(pair, cert, newChain);
        }

        /** Writes {@code name.crt} (the chain, PEM) and {@code name.key} (PKCS#8 PEM) into {@code dir}. */
        void writePem(Path dir, String name) throws IOException {
            Files.writeString(certFile(dir, name), pem(chain), StandardCharsets.US_ASCII);
            Files.writeString(keyFile(dir, name), pemKey(keys), StandardCharsets.US_ASCII);
        }

        /** What a client presents: this key and chain. */
        KeyManagerFactory keyManagers() throws GeneralSecurityException, IOException {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("client", keys.getPrivate(), new char[0], chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, new char[0]);
            return kmf;
        }

        /** What a client trusts: this certificate (a CA) only. */
        TrustManagerFactory trustManagers() throws GeneralSecurityException, IOException {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf;
        }
    }

    static Path certFile(Path dir, String name) {
        return dir.resolve(name + ".crt");
    }

    static Path keyFile(Path dir, String name) {
        return dir.resolve(name + ".key");
    }

    /** A self-signed root CA. */
    static Issued ca(String cn) {
        KeyPair pair = newKeys();
        X500Principal subject = new X500Principal("CN=" + cn + ", O=Herald tests");
        Instant now = Instant.now();
        X509Certificate cert = build(
                subject,
                subject,
                pair,
                pair,
                now.minus(Duration.ofHours(1)),
                now.plus(VALIDITY),
                true,
                List.of(),
                null);
        return new Issued(pair, cert, List.of());
    }

    static String pem(List<X509Certificate> certificates) {
        StringBuilder out = new StringBuilder();
        try {
            for (X509Certificate c : certificates) {
                out.append(block("CERTIFICATE", c.getEncoded()));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    static String pemKey(KeyPair keys) {
        return block("PRIVATE KEY", keys.getPrivate().getEncoded()); // the JDK encodes private keys as PKCS#8
    }

    private static String block(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static KeyPair newKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate build(
            X500Principal issuer,
            X500Principal subject,
            KeyPair subjectKeys,
            KeyPair issuerKeys,
            Instant notBefore,
            Instant notAfter,
            boolean ca,
            List<GeneralName> names,
            KeyPurposeId purpose) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(notBefore),
                    Date.from(notAfter),
                    subject,
                    subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
            if (!names.isEmpty()) {
                builder.addExtension(
                        Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
            }
            if (purpose != null) {
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            }
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(
                            new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }
}

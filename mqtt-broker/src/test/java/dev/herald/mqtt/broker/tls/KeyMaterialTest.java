package dev.herald.mqtt.broker.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM parsing with the JDK alone, certificate names, and the settings' checks. */
class KeyMaterialTest {

    @Test
    void readsAChainAndAPkcs8KeyAndNamesTheCertificate(@TempDir Path dir) throws Exception {
        TestCertificates.Issued ca = TestCertificates.ca("Unit CA");
        TestCertificates.Issued client = ca.issue("device-42", false);
        client.writePem(dir, "client");
        assertThat(KeyMaterial.certificates(TestCertificates.certFile(dir, "client")))
                .hasSize(1);
        assertThat(KeyMaterial.privateKey(TestCertificates.keyFile(dir, "client"))
                        .getAlgorithm())
                .isEqualTo("EC");
        assertThat(ServerTls.commonName(client.certificate())).isEqualTo("device-42");
        assertThat(ServerTls.firstSubjectAltName(client.certificate())).isEqualTo("device-42.devices.example");
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefused(@TempDir Path dir) throws Exception {
        TestCertificates.Issued ca = TestCertificates.ca("Unit CA");
        ca.issue("first", true).writePem(dir, "first");
        ca.issue("second", true).writePem(dir, "second");
        Path key = TestCertificates.keyFile(dir, "second");
        Path certificate = TestCertificates.certFile(dir, "first");
        KeyMaterial.requirePair(
                KeyMaterial.privateKey(TestCertificates.keyFile(dir, "first")),
                KeyMaterial.certificates(certificate).get(0),
                key,
                certificate);
        assertThatThrownBy(() -> KeyMaterial.requirePair(
                        KeyMaterial.privateKey(key),
                        KeyMaterial.certificates(certificate).get(0),
                        key,
                        certificate))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("is not the key of the first certificate in " + certificate);
    }

    @Test
    void rsaAndEd25519PairsPassTheCheckAndACrossedPairDoesNot() throws Exception {
        Path key = Path.of("server.key");
        Path certificate = Path.of("server.crt");
        KeyPairGenerator rsaKeys = KeyPairGenerator.getInstance("RSA");
        rsaKeys.initialize(2048);
        KeyPair rsa = rsaKeys.generateKeyPair();
        KeyPair ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

        TestCertificates.Issued ca = TestCertificates.ca("Unit CA");
        Certificate forRsa = ca.issue("rsa", true, rsa).certificate();
        Certificate forEd25519 = ca.issue("ed25519", true, ed25519).certificate();
        KeyMaterial.requirePair(rsa.getPrivate(), forRsa, key, certificate);
        KeyMaterial.requirePair(ed25519.getPrivate(), forEd25519, key, certificate);
        assertThatThrownBy(() -> KeyMaterial.requirePair(rsa.getPrivate(), forEd25519, key, certificate))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("cannot be checked against the first certificate in server.crt");
    }

    @Test
    void aPkcs1KeyIsRefusedWithAHint(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("old.key");
        Files.writeString(key, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> KeyMaterial.privateKey(key))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("openssl pkcs8 -topk8");
    }

    @Test
    void settingsNameTheirProblems() {
        assertThatThrownBy(() -> TlsSettings.from(ConfigFactory.parseString("herald.mqtt.tls.client-auth = maybe")
                        .withFallback(ConfigFactory.load())))
                .hasMessageContaining("herald.mqtt.tls.client-auth must be one of [none, optional, required]");
        assertThatThrownBy(() -> TlsSettings.from(ConfigFactory.parseString("herald.mqtt.tls.client-auth = required")
                        .withFallback(ConfigFactory.load())))
                .hasMessageContaining("client-ca");
        TlsSettings defaults = TlsSettings.from(ConfigFactory.load());
        assertThat(defaults.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(defaults.useCertificateAsUsername()).isEqualTo(TlsSettings.UsernameSource.OFF);
        assertThat(defaults.enabled()).isFalse();
    }
}

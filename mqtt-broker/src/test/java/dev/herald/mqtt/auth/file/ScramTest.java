package dev.herald.mqtt.auth.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ScramTest {

    private static final byte[] RFC7677_SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");

    @Test
    @DisplayName("RFC 5802 section 2.2: Hi is PBKDF2 with HMAC-SHA-256 and one 256 bit block")
    void hiIsPbkdf2() throws Exception {
        byte[] expected = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec("pencil".toCharArray(), RFC7677_SALT, 4096, 256))
                .getEncoded();

        assertThat(Scram.saltedPassword(bytes("pencil"), RFC7677_SALT, 4096)).isEqualTo(expected);
    }

    @Test
    @DisplayName("RFC 7677 section 3: StoredKey and ServerKey of 'pencil'")
    void rfc7677Keys() {
        ScramCredentials credentials = Scram.credentials(bytes("pencil"), RFC7677_SALT, 4096);

        assertThat(Base64.getEncoder().encodeToString(credentials.storedKey()))
                .isEqualTo("WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=");
        assertThat(Base64.getEncoder().encodeToString(credentials.serverKey()))
                .isEqualTo("wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=");
    }

    @Test
    @DisplayName("an empty password hashes (HMAC with an empty key) instead of failing")
    void emptyPassword() {
        assertThat(Scram.saltedPassword(new byte[0], RFC7677_SALT, 2)).hasSize(Scram.KEY_BYTES);
    }

    @Test
    @DisplayName("decoy credentials are the same for one user and differ between users")
    void decoy() {
        assertThat(Scram.decoy("mallory", 4096)).isEqualTo(Scram.decoy("mallory", 4096));
        assertThat(Scram.decoy("mallory", 4096).salt())
                .isNotEqualTo(Scram.decoy("trudy", 4096).salt());
        assertThat(Scram.decoy("mallory", 4096).salt()).hasSize(16);
    }

    @Test
    @DisplayName("ScramCredentials copies its arrays and keeps the keys out of toString")
    void credentialsImmutable() {
        byte[] salt = {1, 2, 3};
        ScramCredentials credentials = new ScramCredentials(salt, 4096, new byte[32], new byte[32]);
        salt[0] = 9;
        credentials.salt()[1] = 9;

        assertThat(credentials.salt()).containsExactly(1, 2, 3);
        assertThat(credentials).hasToString("ScramCredentials[iterations=4096]");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

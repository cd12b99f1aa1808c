package dev.herald.mqtt.auth.file;

import static dev.herald.mqtt.auth.file.ScramClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.auth.AuthOutcome;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScramSha256ExchangeTest {

    // RFC 7677 section 3
    private static final String CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    private static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final String NONCE = "rOprNGfwEbeRWgbNEkqO" + SERVER_NONCE;
    private static final String SERVER_FIRST = "r=" + NONCE + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private static final String PROOF = "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String CLIENT_FINAL = "c=biws,r=" + NONCE + ",p=" + PROOF;
    private static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private static final ScramCredentials PENCIL = new ScramCredentials(
            decode("W22ZaJ0SNY7soEsUEjb6gQ=="),
            4096,
            decode("WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY="),
            decode("wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU="));
    private static final Map<String, ScramCredentials> USERS = Map.of(
            "user",
            PENCIL,
            "a,b=c",
            Scram.credentials("secret".getBytes(StandardCharsets.UTF_8), new byte[] {7, 7}, 4096));

    @Test
    @DisplayName("RFC 7677 section 3: the SCRAM-SHA-256 example exchange")
    void rfc7677Example() {
        ScramSha256Exchange exchange = exchange();

        assertThat(step(exchange, CLIENT_FIRST)).isEqualTo(new AuthOutcome.Challenge(utf8(SERVER_FIRST)));
        assertThat(step(exchange, CLIENT_FINAL)).isEqualTo(new AuthOutcome.Accepted("user", utf8(SERVER_FINAL)));
    }

    @Test
    @DisplayName("a proof off by one bit is refused")
    void wrongProof() {
        byte[] proof = decode(PROOF);
        proof[0] ^= 1;
        ScramSha256Exchange exchange = exchange();
        step(exchange, CLIENT_FIRST);

        assertRefused(
                step(exchange, "c=biws,r=" + NONCE + ",p=" + Base64.getEncoder().encodeToString(proof)));
    }

    @Test
    @DisplayName("a client of the JDK's PBKDF2 with the y flag and c=eSws; a saslname with =2C and =3D")
    void yFlagAndEscapedName() {
        ScramClient client = new ScramClient("y,,", "a=2Cb=3Dc", "secret".toCharArray(), "abc");
        ScramSha256Exchange exchange = exchange();

        ByteString serverFirst = challenge(exchange.step(client.first()));

        assertThat(exchange.step(client.last(serverFirst)).toCompletableFuture().join())
                .isEqualTo(new AuthOutcome.Accepted("a,b=c", client.expectedServerFinal()));
    }

    @Test
    @DisplayName("an unknown user gets a stable decoy salt and 4096 iterations, then a refusal")
    void unknownUser() {
        String first = "n,,n=mallory,r=abc";
        ByteString challenge = challenge(exchange().step(utf8(first)));
        ByteString again = challenge(exchange().step(utf8(first)));
        ByteString other = challenge(exchange().step(utf8("n,,n=trudy,r=abc")));

        assertThat(challenge).isEqualTo(again);
        assertThat(challenge.utf8String()).matches("r=abc" + quote(SERVER_NONCE) + ",s=[A-Za-z0-9+/]{22}==,i=4096");
        assertThat(other).isNotEqualTo(challenge);

        ScramClient client = new ScramClient("mallory", "guess", "abc");
        ScramSha256Exchange exchange = exchange();
        ByteString serverFirst = challenge(exchange.step(client.first()));
        assertRefused(
                exchange.step(client.last(serverFirst)).toCompletableFuture().join());
    }

    @Test
    @DisplayName("the channel binding must repeat the gs2 header; the nonce must be the combined one")
    void bindingAndNonce() {
        assertRefused(finalAfterFirst(CLIENT_FIRST, "c=eSws,r=" + NONCE + ",p=" + PROOF));
        assertRefused(finalAfterFirst("y,,n=user,r=rOprNGfwEbeRWgbNEkqO", CLIENT_FINAL));
        assertRefused(finalAfterFirst(CLIENT_FIRST, "c=biws,r=rOprNGfwEbeRWgbNEkqO,p=" + PROOF));
        assertRefused(finalAfterFirst(CLIENT_FIRST, "c=biws,r=" + NONCE + "x,p=" + PROOF));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "x,,n=user,r=abc",
                "p=tls-unique,,n=user,r=abc",
                "n,a=admin,n=user,r=abc",
                "n,n=user,r=abc",
                "n,,m=ext,n=user,r=abc",
                "n,,r=abc,n=user",
                "n,,n=user",
                "n,,n=,r=abc",
                "n,,n=us=er,r=abc",
                "n,,n=us=2,r=abc",
                "n,,n=us\u00e9r,r=abc",
                "n,,n=user,r=",
                "n,,n=user,r=a b",
                "n,,n=user,r=abc,bad",
                "n,,n=user,r=abc,"
            })
    @DisplayName("a malformed or unsupported client-first-message is refused")
    void malformedFirst(String message) {
        ScramSha256Exchange exchange = exchange();

        assertRefused(step(exchange, message));
        assertRefused(step(exchange, CLIENT_FINAL));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "r=" + NONCE + ",p=" + PROOF,
                "c=biws,p=" + PROOF,
                "c=biws,r=" + NONCE,
                "c=biws,r=" + NONCE + ",p=not*base64",
                "c=biws,r=" + NONCE + ",p=AAAA",
                "c=biws,r=" + NONCE + ",p=" + PROOF + ",x=1",
                "c=biws,r=" + NONCE + ",1=x,p=" + PROOF,
                "c=biws,r=" + NONCE + ",x=1,p=" + PROOF
            })
    @DisplayName(
            "a malformed client-final-message (or one with an unknown extension that changes the proof) is refused")
    void malformedFinal(String message) {
        assertRefused(finalAfterFirst(CLIENT_FIRST, message));
    }

    @Test
    @DisplayName("authentication data that is not UTF-8 is refused")
    void notUtf8() {
        assertRefused(exchange()
                .step(ByteString.fromArray(new byte[] {'n', ',', ',', (byte) 0xC3}))
                .toCompletableFuture()
                .join());
    }

    @Test
    @DisplayName("a step after the exchange ended is refused")
    void stepAfterEnd() {
        ScramSha256Exchange exchange = exchange();
        step(exchange, CLIENT_FIRST);
        step(exchange, CLIENT_FINAL);

        assertRefused(step(exchange, CLIENT_FINAL));
        assertRefused(step(exchange, CLIENT_FIRST));
    }

    @Test
    @DisplayName("the default server nonce is 24 base64 characters and differs every time")
    void randomNonce() {
        assertThat(ScramSha256Exchange.randomNonce()).matches("[A-Za-z0-9+/]{24}");
        assertThat(ScramSha256Exchange.randomNonce()).isNotEqualTo(ScramSha256Exchange.randomNonce());
    }

    private static ScramSha256Exchange exchange() {
        return new ScramSha256Exchange(user -> Optional.ofNullable(USERS.get(user)), () -> SERVER_NONCE);
    }

    private static AuthOutcome finalAfterFirst(String first, String last) {
        ScramSha256Exchange exchange = exchange();
        assertThat(step(exchange, first)).isInstanceOf(AuthOutcome.Challenge.class);
        return step(exchange, last);
    }

    private static AuthOutcome step(ScramSha256Exchange exchange, String message) {
        CompletionStage<AuthOutcome> stage = exchange.step(utf8(message));
        CompletableFuture<AuthOutcome> future = stage.toCompletableFuture();
        assertThat(future).isDone();
        return future.join();
    }

    private static ByteString challenge(CompletionStage<AuthOutcome> stage) {
        AuthOutcome outcome = stage.toCompletableFuture().join();
        assertThat(outcome).isInstanceOf(AuthOutcome.Challenge.class);
        return ((AuthOutcome.Challenge) outcome).serverData();
    }

    private static void assertRefused(AuthOutcome outcome) {
        assertThat(outcome).isInstanceOfSatisfying(AuthOutcome.Refused.class, refused -> assertThat(refused.reason())
                .isEqualTo(AuthOutcome.Reason.BAD_CREDENTIALS));
    }

    private static String quote(String text) {
        return Pattern.quote(text);
    }

    private static byte[] decode(String base64) {
        return Base64.getDecoder().decode(base64);
    }
}

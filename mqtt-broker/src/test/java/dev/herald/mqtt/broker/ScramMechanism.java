package dev.herald.mqtt.broker;

import com.hivemq.client.mqtt.datatypes.MqttUtf8String;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig;
import com.hivemq.client.mqtt.mqtt5.auth.Mqtt5EnhancedAuthMechanism;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5Auth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5AuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect;
import dev.herald.mqtt.auth.file.ScramClient;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.pekko.util.ByteString;

/**
 * SCRAM-SHA-256 for the HiveMQ client's enhanced authentication, with the password it is given (which
 * a test may change before a re-authentication). It checks the server's signature, so a broker that
 * does not know the password cannot pass. What happened is recorded in {@link #events}.
 */
final class ScramMechanism implements Mqtt5EnhancedAuthMechanism {

    final Queue<String> events = new ConcurrentLinkedQueue<>();
    private final String user;
    volatile String password;
    private ScramClient exchange;

    ScramMechanism(String user, String password) {
        this.user = user;
        this.password = password;
    }

    @Override
    public MqttUtf8String getMethod() {
        return MqttUtf8String.of("SCRAM-SHA-256");
    }

    @Override
    public int getTimeout() {
        return 10;
    }

    @Override
    public CompletableFuture<Void> onAuth(Mqtt5ClientConfig config, Mqtt5Connect connect, Mqtt5EnhancedAuthBuilder b) {
        b.data(start());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> onReAuth(Mqtt5ClientConfig config, Mqtt5AuthBuilder b) {
        b.data(start());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Boolean> onContinue(Mqtt5ClientConfig config, Mqtt5Auth auth, Mqtt5AuthBuilder b) {
        b.data(exchange.last(data(auth.getData())).toArray());
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletableFuture<Boolean> onAuthSuccess(Mqtt5ClientConfig config, Mqtt5ConnAck connAck) {
        return verified("auth-success", connAck.getEnhancedAuth().flatMap(a -> a.getData()));
    }

    @Override
    public CompletableFuture<Boolean> onReAuthSuccess(Mqtt5ClientConfig config, Mqtt5Auth auth) {
        return verified("reauth-success", auth.getData());
    }

    @Override
    public void onAuthRejected(Mqtt5ClientConfig config, Mqtt5ConnAck connAck) {
        events.add("auth-rejected " + connAck.getReasonCode());
    }

    @Override
    public void onReAuthRejected(Mqtt5ClientConfig config, Mqtt5Disconnect disconnect) {
        events.add("reauth-rejected " + disconnect.getReasonCode());
    }

    @Override
    public void onAuthError(Mqtt5ClientConfig config, Throwable cause) {
        events.add("auth-error " + cause);
    }

    @Override
    public void onReAuthError(Mqtt5ClientConfig config, Throwable cause) {
        events.add("reauth-error " + cause);
    }

    private byte[] start() {
        exchange = new ScramClient(user, password, UUID.randomUUID().toString().replace("-", ""));
        return exchange.first().toArray();
    }

    private CompletableFuture<Boolean> verified(String event, Optional<ByteBuffer> serverFinal) {
        boolean genuine = data(serverFinal).equals(exchange.expectedServerFinal());
        events.add(genuine ? event : event + " with a wrong server signature");
        return CompletableFuture.completedFuture(genuine);
    }

    private static ByteString data(Optional<ByteBuffer> data) {
        return data.map(ByteString::fromByteBuffer).orElse(ByteString.emptyByteString());
    }
}

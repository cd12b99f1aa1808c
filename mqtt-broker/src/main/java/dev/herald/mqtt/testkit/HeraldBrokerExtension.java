package dev.herald.mqtt.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.herald.mqtt.broker.EmbeddedBroker;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one embedded broker on 127.0.0.1 and a free port before a test class, and stops it after.
 * Register it in a static field and ask it for the port, or take an {@link EmbeddedBroker} parameter:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final HeraldBrokerExtension broker = new HeraldBrokerExtension();
 *
 * @Test
 * void publishes() {
 *     client.connect("127.0.0.1", broker.port());
 * }
 * }</pre>
 */
public final class HeraldBrokerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private final Config config;
    private EmbeddedBroker broker;

    public HeraldBrokerExtension() {
        this("");
    }

    /** With {@code herald.mqtt} settings in HOCON, e.g. {@code "herald.mqtt.max-inflight = 4"}. */
    public HeraldBrokerExtension(String hocon) {
        this.config = ConfigFactory.parseString(hocon)
                .withFallback(ConfigFactory.parseString("herald.mqtt { bind = \"127.0.0.1\", port = 0 }"))
                .withFallback(ConfigFactory.load());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = EmbeddedBroker.start(config);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    public EmbeddedBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("the broker runs only between beforeAll and afterAll");
        }
        return broker;
    }

    public int port() {
        return broker().port();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return broker();
    }
}

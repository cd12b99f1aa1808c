package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.property.MqttProperty;
import org.junit.jupiter.api.Test;

class FleetTest {

    @Test
    void aSessionExpiryMakesAPersistentSessionThatNeverResumesAnEarlierRun() {
        Connect v5 = Fleet.connect(MqttVersion.V5, "sub", 3600);

        // MQTT 5.0 section 3.1.2.11.2: Session Expiry Interval, four-byte integer, in seconds
        assertThat(v5.properties().longValue(MqttProperty.SESSION_EXPIRY_INTERVAL, 0))
                .isEqualTo(3600);
        assertThat(v5.cleanStart()).isTrue();
        assertThat(Fleet.connect(MqttVersion.V5, "pub", 0)
                        .properties()
                        .longValue(MqttProperty.SESSION_EXPIRY_INTERVAL, -1))
                .isEqualTo(-1);
    }

    @Test
    void onMqtt311APersistentSessionIsCleanSessionZero() {
        // MQTT 3.1.1 section 3.1.2.4: Clean Session 0 keeps the session after the connection
        assertThat(Fleet.connect(MqttVersion.V3_1_1, "sub", 3600).cleanStart()).isFalse();
        assertThat(Fleet.connect(MqttVersion.V3_1_1, "pub", 0).cleanStart()).isTrue();
    }

    @Test
    void theSessionExpiryOptionIsParsedAndChecked() {
        assertThat(Options.parse("--port", "1883", "--scenario", "qos1", "--session-expiry", "60")
                        .sessionExpiry())
                .isEqualTo(60);
        assertThat(Options.parse("--port", "1883", "--scenario", "qos1").sessionExpiry())
                .isZero();
    }
}

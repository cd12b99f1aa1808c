package dev.herald.mqtt.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.herald.mqtt.auth.ClientInfo;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.property.Properties;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Which rule applies to a topic, what each format accepts, and configuration errors that name the rule. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PayloadValidatorTest {

    private static final ClientInfo CLIENT = new ClientInfo("c", null, null, MqttVersion.V5);

    private static FilterResult check(PayloadValidator validator, String topic, String payload) {
        return validator.filter(
                CLIENT,
                new Publish(
                        topic,
                        QoS.AT_MOST_ONCE,
                        false,
                        false,
                        0,
                        Properties.EMPTY,
                        ByteString.fromString(payload, StandardCharsets.UTF_8)));
    }

    @Test
    void theFirstMatchingRuleApplies() {
        PayloadValidator validator =
                new PayloadValidator(List.of(PayloadRule.maxBytes("a/special", 100), PayloadRule.json("a/#")));
        assertThat(check(validator, "a/special", "not json")).isEqualTo(FilterResult.pass());
        assertThat(check(validator, "a/other", "not json")).isInstanceOf(FilterResult.Reject.class);
        assertThat(check(validator, "b", "not json")).isEqualTo(FilterResult.pass());
        assertThat(check(validator, "$SYS/a", "not json"))
                .as("a leading wildcard does not match $ topics")
                .isEqualTo(FilterResult.pass());
        assertThat(check(new PayloadValidator(List.of(PayloadRule.json("#"))), "$SYS/x", "x"))
                .isEqualTo(FilterResult.pass());
    }

    @Test
    void jsonMeansExactlyOneWellFormedValue() {
        PayloadValidator validator = new PayloadValidator(List.of(PayloadRule.json("#")));
        assertThat(check(validator, "t", "{\"a\": [1, 2.5, null, true]}")).isEqualTo(FilterResult.pass());
        assertThat(check(validator, "t", "42")).isEqualTo(FilterResult.pass());
        assertThat(check(validator, "t", "{} {}"))
                .isEqualTo(FilterResult.reject(0x83, "payload for '#' is not well-formed JSON"));
        assertThat(check(validator, "t", "")).isInstanceOf(FilterResult.Reject.class);
        assertThat(check(validator, "t", "{\"a\": }")).isInstanceOf(FilterResult.Reject.class);
    }

    @Test
    void aSchemaRuleReportsTheFirstViolation() {
        PayloadValidator validator = new PayloadValidator(List.of(PayloadRule.jsonSchema(
                "t",
                "{\"type\": \"object\", \"required\": [\"id\"], \"additionalProperties\": false,"
                        + " \"properties\": {\"id\": {\"type\": \"integer\"}}}")));
        assertThat(check(validator, "t", "{\"id\": 7}")).isEqualTo(FilterResult.pass());
        assertThat(check(validator, "t", "{\"id\": \"seven\"}"))
                .isInstanceOfSatisfying(FilterResult.Reject.class, r -> assertThat(r.reason())
                        .startsWith("payload for 't' does not match its JSON Schema: ")
                        .contains("id"));
        assertThat(check(validator, "t", "[]")).isInstanceOf(FilterResult.Reject.class);
    }

    @Test
    void utf8AndSizeRules() {
        PayloadValidator validator =
                new PayloadValidator(List.of(new PayloadRule("t", 4, PayloadRule.Format.UTF8, null)));
        assertThat(check(validator, "t", "ab\u00e9")).isEqualTo(FilterResult.pass()); // 4 bytes
        assertThat(check(validator, "t", "abcde"))
                .isEqualTo(FilterResult.reject(0x83, "payload for 't' is 5 bytes, more than 4"));
    }

    @Test
    void badRulesAreClearErrors() {
        assertThatThrownBy(() -> PayloadRule.json("a/#/b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a/#/b'");
        assertThatThrownBy(() -> new PayloadRule("t", 0, PayloadRule.Format.UTF8, "{}"))
                .hasMessageContaining("a schema needs format json");
        assertThatThrownBy(() -> new PayloadValidator(List.of(PayloadRule.jsonSchema("t", "{not json"))))
                .hasMessageContaining("payload rule for 't': the JSON Schema does not load");
        assertThatThrownBy(() -> PayloadValidator.rulesFrom(ConfigFactory.parseString(
                        "herald.mqtt.filters.payload-rules = [{ topics = \"a\" }, { topics = \"b\", format = xml }]")))
                .hasMessage("herald.mqtt.filters.payload-rules [1]: format must be any, utf8 or json, not 'xml'");
        assertThatThrownBy(
                        () -> PayloadValidator.rulesFrom(
                                ConfigFactory.parseString(
                                        "herald.mqtt.filters.payload-rules = [{ topics = \"a\", schema-file = \"no/such/file.json\" }]")))
                .hasMessageContaining("cannot read schema-file");
    }
}

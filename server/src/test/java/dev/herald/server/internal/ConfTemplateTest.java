package dev.herald.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ConfTemplateTest {

    private final String template = ConfTemplate.render("1.2.3", getClass().getClassLoader());

    @Test
    void listsEverySettingOfEveryHeraldReferenceConfWithItsDefault() {
        Map<String, Object> defaults = leaves(ConfigFactory.defaultReference().getConfig("herald"));
        Map<String, Object> listed = leaves(ConfTemplate.uncommented(template).getConfig("herald"));

        assertThat(defaults).containsKeys("mqtt.port", "mqtt.auth.password-file", "admin.port", "taps.inbox-depth");
        assertThat(listed).isEqualTo(defaults);
    }

    @Test
    void everySettingIsCommentedOutAndKeepsItsExplanation() {
        Config asIs = ConfigFactory.parseString(template);

        assertThat(leaves(asIs)).isEmpty();
        assertThat(template)
                .startsWith("# Herald 1.2.3 configuration")
                .contains("  # TCP port of the MQTT listener; 0 picks a free port")
                .contains("  #port = 1883\n")
                .contains("    #strategy = round-robin\n")
                .contains("  #port = 8081\n");
        assertThat(template.indexOf("herald.mqtt {")).isLessThan(template.indexOf("herald.admin {"));
        assertThat(template.indexOf("herald.admin {")).isLessThan(template.indexOf("herald.taps {"));
        assertThat(template.indexOf("herald.taps {")).isLessThan(template.indexOf("herald.cluster {"));
    }

    @Test
    void aListOverSeveralLinesIsCommentedOutLineByLine() {
        String text = "a {\n  # the list\n  list = [\n    { b = \"]\" }\n    [1, 2]\n  ]\n  c = 1\n}\n";

        String template = ConfTemplate.commentOut(text);

        assertThat(template)
                .isEqualTo("a {\n  # the list\n  #list = [\n    #{ b = \"]\" }\n    #[1, 2]\n  #]\n  #c = 1\n}\n");
        assertThat(ConfTemplate.uncommented(template)).isEqualTo(ConfigFactory.parseString(text));
    }

    @Test
    void aMultiLineStringIsRefusedRatherThanHalfCommented() {
        assertThatThrownBy(() -> ConfTemplate.commentOut("a {\n  s = \"\"\"x\n  y\"\"\"\n}"))
                .hasMessageContaining("multi-line string");
    }

    @Test
    void settingsOutsideHeraldAreLeftOutWithTheirComments() {
        String text = "# cluster\nherald.cluster {\n  port = 1\n  seeds = [\n  ]\n}\n\n# how messages go\n"
                + "pekko.actor.bindings {\n  \"x\" = y\n}\n\n# modules\npekko.list += \"z\"\n";

        assertThat(ConfTemplate.heraldOnly(text))
                .isEqualTo("# cluster\nherald.cluster {\n  port = 1\n  seeds = [\n  ]\n}\n");
        assertThat(template)
                .contains("herald.cluster {")
                .contains("  #seed-nodes = []\n")
                .doesNotContain("jackson-cbor");
    }

    private static Map<String, Object> leaves(Config config) {
        Map<String, Object> out = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
            out.put(e.getKey(), e.getValue().unwrapped());
        }
        return out;
    }
}

package dev.herald.mqtt.filter;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.herald.mqtt.auth.ClientInfo;
import dev.herald.mqtt.codec.internal.Utf8;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks PUBLISH payloads against per-topic rules: the first {@link PayloadRule} whose filter matches
 * the topic applies (no rule: anything goes). A payload that breaks it is rejected with 0x83
 * Implementation specific error ("valid, but the receiver is not willing to accept it") and a reason
 * string naming the rule and the problem.
 */
public final class PayloadValidator implements PacketFilter {

    static final int REJECTED = 0x83;
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private record Compiled(PayloadRule rule, String[] levels, Schema schema) {}

    private final List<Compiled> rules;

    public PayloadValidator(List<PayloadRule> rules) {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        List<Compiled> compiled = new ArrayList<>(rules.size());
        for (PayloadRule rule : rules) {
            Schema schema = null;
            if (rule.schema() != null) {
                try {
                    schema = registry.getSchema(rule.schema());
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(
                            "payload rule for '" + rule.topics() + "': the JSON Schema does not load: "
                                    + e.getMessage(),
                            e);
                }
            }
            compiled.add(new Compiled(rule, rule.topics().split("/", -1), schema));
        }
        this.rules = List.copyOf(compiled);
    }

    /**
     * The rules of {@code herald.mqtt.filters.payload-rules}: a list of objects with {@code topics},
     * optional {@code max-bytes}, {@code format} ({@code any}, {@code utf8}, {@code json}) and
     * {@code schema-file} (a JSON Schema file, which implies json).
     */
    public static List<PayloadRule> rulesFrom(Config root) {
        List<PayloadRule> rules = new ArrayList<>();
        String key = "herald.mqtt.filters.payload-rules";
        for (Config c : root.getConfigList(key)) {
            try {
                String schemaFile = c.hasPath("schema-file") ? c.getString("schema-file") : null;
                String schema = schemaFile == null ? null : Files.readString(Path.of(schemaFile));
                PayloadRule.Format format = c.hasPath("format")
                        ? format(c.getString("format"))
                        : (schema != null ? PayloadRule.Format.JSON : PayloadRule.Format.ANY);
                int maxBytes =
                        c.hasPath("max-bytes") ? (int) c.getBytes("max-bytes").longValue() : 0;
                rules.add(new PayloadRule(c.getString("topics"), maxBytes, format, schema));
            } catch (IOException e) {
                throw new IllegalArgumentException(key + ": cannot read schema-file: " + e, e);
            } catch (ConfigException | IllegalArgumentException e) {
                throw new IllegalArgumentException(key + " [" + rules.size() + "]: " + e.getMessage(), e);
            }
        }
        return rules;
    }

    private static PayloadRule.Format format(String name) {
        for (PayloadRule.Format f : PayloadRule.Format.values()) {
            if (f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("format must be any, utf8 or json, not '" + name + "'");
    }

    @Override
    public FilterResult filter(ClientInfo client, MqttPacket packet) {
        if (!(packet instanceof Publish p) || rules.isEmpty()) {
            return FilterResult.pass();
        }
        String[] topic = p.topic().split("/", -1);
        for (Compiled c : rules) {
            if (Topics.matches(c.levels(), topic)) {
                String problem = problem(c, p);
                return problem == null
                        ? FilterResult.pass()
                        : FilterResult.reject(
                                REJECTED, "payload for '" + c.rule().topics() + "' " + problem);
            }
        }
        return FilterResult.pass();
    }

    private static String problem(Compiled c, Publish p) {
        PayloadRule rule = c.rule();
        int size = p.payload().size();
        if (rule.maxBytes() > 0 && size > rule.maxBytes()) {
            return "is " + size + " bytes, more than " + rule.maxBytes();
        }
        switch (rule.format()) {
            case ANY:
                return null;
            case UTF8:
                return Utf8.isWellFormed(p.payload()) ? null : "is not well-formed UTF-8";
            case JSON:
            default:
                JsonNode json;
                try {
                    json = JSON.readTree(p.payload().toArray());
                } catch (IOException | UncheckedIOException e) {
                    return "is not well-formed JSON";
                }
                if (json == null || json.isMissingNode()) {
                    return "is not well-formed JSON";
                }
                if (c.schema() == null) {
                    return null;
                }
                List<Error> errors = c.schema().validate(json);
                if (errors.isEmpty()) {
                    return null;
                }
                Error first = errors.get(0);
                return "does not match its JSON Schema: " + first.getInstanceLocation() + " " + first.getMessage();
        }
    }
}

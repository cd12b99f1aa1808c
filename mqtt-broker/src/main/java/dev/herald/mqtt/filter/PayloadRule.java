package dev.herald.mqtt.filter;

import dev.herald.mqtt.message.Topics;
import java.util.Objects;

/**
 * What the payloads of PUBLISHes to topics matching {@code topics} must be: at most {@code maxBytes}
 * long (0: no limit), in {@code format}, and when {@code schema} is set (a JSON Schema document, draft
 * 2020-12 unless it names another with {@code $schema}), valid against it.
 */
public record PayloadRule(String topics, int maxBytes, Format format, String schema) {

    public enum Format {
        /** Any bytes. */
        ANY,
        /** Well-formed UTF-8 (MQTT's rules: no surrogates, U+0000 allowed in payloads). */
        UTF8,
        /** One well-formed JSON value in UTF-8. */
        JSON
    }

    public PayloadRule {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(format, "format");
        String problem = Topics.topicFilterProblem(topics);
        if (problem != null) {
            throw new IllegalArgumentException("payload rule topics '" + topics + "': " + problem);
        }
        if (maxBytes < 0) {
            throw new IllegalArgumentException("payload rule max-bytes must not be negative, not " + maxBytes);
        }
        if (schema != null && format != Format.JSON) {
            throw new IllegalArgumentException("payload rule for '" + topics + "': a schema needs format json");
        }
    }

    public static PayloadRule maxBytes(String topics, int maxBytes) {
        return new PayloadRule(topics, maxBytes, Format.ANY, null);
    }

    public static PayloadRule utf8(String topics) {
        return new PayloadRule(topics, 0, Format.UTF8, null);
    }

    public static PayloadRule json(String topics) {
        return new PayloadRule(topics, 0, Format.JSON, null);
    }

    public static PayloadRule jsonSchema(String topics, String schema) {
        return new PayloadRule(topics, 0, Format.JSON, Objects.requireNonNull(schema, "schema"));
    }
}

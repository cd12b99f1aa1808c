package dev.herald.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import dev.herald.mqtt.broker.AccessControl;
import dev.herald.mqtt.broker.BrokerSettings;
import dev.herald.mqtt.broker.tls.TlsSettings;
import dev.herald.mqtt.broker.websocket.WebSocketSettings;
import dev.herald.mqtt.filter.PayloadValidator;
import dev.herald.mqtt.store.PersistenceSettings;
import dev.herald.server.admin.AdminSettings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code herald check-config FILE}: parses a HOCON file, validates every {@code herald.*} setting with
 * the code the server runs at start (broker, admin, TLS, WebSocket, persistence and cluster settings,
 * payload rules and their schemas, the password and ACL files) and reports every problem with its key and
 * line, unknown keys under {@code herald} included (a dispatcher's may be any key of a Pekko one).
 */
final class ConfigCheck {

    static final String USAGE = "Usage: herald check-config FILE";

    /** The keys a payload rule may have (see herald.mqtt.filters.payload-rules in reference.conf). */
    static final Set<String> PAYLOAD_RULE_KEYS = Set.of("topics", "max-bytes", "format", "schema-file");

    /** Herald's dispatcher settings, which may hold any key of a Pekko dispatcher. */
    static final Set<String> DISPATCHERS = Set.of("herald.mqtt.persistence.writer-dispatcher");

    private static final String PEKKO_DISPATCHER = "pekko.actor.default-dispatcher";
    private static final String PAYLOAD_RULES = "herald.mqtt.filters.payload-rules";
    private static final Pattern RULE_INDEX = Pattern.compile(Pattern.quote(PAYLOAD_RULES) + " \\[(\\d+)\\]");

    /**
     * One problem: the key it is about (null when unknown), its line (0 when unknown), what is wrong,
     * and the file the line is in when it is not the one checked but a file it includes.
     */
    record Problem(String key, int line, String message, String source) {

        Problem(String key, int line, String message) {
            this(key, line, message, null);
        }

        Problem(String key, ConfigOrigin origin, String message) {
            this(
                    key,
                    origin == null ? 0 : Math.max(origin.lineNumber(), 0),
                    message,
                    origin == null ? null : origin.filename());
        }

        String render(Path file) {
            String in = source == null ? file.toString() : source;
            String where = line > 0 ? in + ":" + line : in;
            return key == null || message.contains(key) ? where + ": " + message : where + ": " + key + ": " + message;
        }
    }

    private ConfigCheck() {}

    /** Runs the command; returns the exit code (0 fine, 1 problems found, 2 bad usage). */
    static int run(String[] args, PrintStream out) {
        if (args.length != 1) {
            out.println(USAGE);
            return 2;
        }
        Path file = Path.of(args[0]);
        List<Problem> problems = check(file);
        for (Problem p : problems) {
            out.println(p.render(file));
        }
        out.println(
                problems.isEmpty()
                        ? file + ": OK"
                        : file + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems"));
        return problems.isEmpty() ? 0 : 1;
    }

    /** Every problem of the file (and of the files it includes), in line order. */
    static List<Problem> check(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            return List.of(new Problem(null, 0, "not found or not readable"));
        }
        Config parsed;
        try {
            parsed = ConfigFactory.parseFile(
                    file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            return List.of(new Problem(null, origin(e), clean(e)));
        }
        List<Problem> problems = new ArrayList<>();
        Config full;
        try {
            full = HeraldServer.withDefaultsAsWritten(parsed);
        } catch (ConfigException e) {
            return List.of(new Problem(null, origin(e), clean(e)));
        }
        Config reference = ConfigFactory.defaultReference();
        Map<String, ConfigValue> keys = userKeys(full);
        for (Map.Entry<String, ConfigValue> e : keys.entrySet()) {
            if (!known(reference, e.getKey())) {
                problems.add(new Problem(e.getKey(), e.getValue().origin(), unknown(reference, e.getKey())));
            }
        }
        problems.addAll(payloadRuleKeys(full));
        problems.addAll(settingProblems(parsed, keys.size()));
        problems.addAll(clusterPersistence(parsed));
        String main = file.toString();
        problems.sort(Comparator.comparing(
                        (Problem p) -> p.source() == null || p.source().equals(main) ? "" : p.source())
                .thenComparingInt(Problem::line));
        return problems;
    }

    /**
     * Validates as the server does; after each failure the key responsible is taken out (its default
     * applies) and the rest validated again, so every bad key is reported, not only the first.
     */
    private static List<Problem> settingProblems(Config parsed, int keyCount) {
        List<Problem> problems = new ArrayList<>();
        Config working = parsed;
        for (int round = 0; round <= keyCount; round++) {
            Config full;
            try {
                full = HeraldServer.withDefaultsAsWritten(working);
            } catch (ConfigException e) {
                problems.add(new Problem(null, origin(e), clean(e)));
                break;
            }
            try {
                validate(full);
                break;
            } catch (RuntimeException e) {
                Map<String, ConfigValue> keys = userKeys(full);
                String key = responsibleKey(e, keys);
                ConfigOrigin at = origin(e);
                if (at == null && key != null) {
                    at = PAYLOAD_RULES.equals(key)
                            ? ruleOrigin(full, e, keys.get(key))
                            : keys.get(key).origin();
                }
                problems.add(new Problem(key, at, clean(e)));
                if (key == null) {
                    break;
                }
                working = working.withoutPath(key);
            }
        }
        return problems;
    }

    /** What the server checks at start (EmbeddedBroker, HeraldServer), with the same code; not the data directory. */
    static void validate(Config config) {
        BrokerSettings settings = BrokerSettings.from(config);
        AdminSettings.from(config);
        WebSocketSettings.from(config);
        TlsSettings.from(config);
        PersistenceSettings.from(config);
        ClusterNode.validate(config);
        new PayloadValidator(PayloadValidator.rulesFrom(config));
        AccessControl.fromSettings(settings);
    }

    /** Persistence turned on in a file that makes a cluster node, which the server refuses to start. */
    private static List<Problem> clusterPersistence(Config parsed) {
        String key = ClusterNode.PERSISTENCE_ENABLED;
        try {
            if (ClusterNode.enabled(parsed) && parsed.hasPath(key) && parsed.getBoolean(key)) {
                return List.of(new Problem(
                        key,
                        parsed.getValue(key).origin(),
                        "a cluster node keeps its state in memory for now: persistence cannot be on with "
                                + ClusterNode.CLUSTER + ".enabled = on (leave it out: the server turns it off)"));
            }
        } catch (ConfigException e) {
            // a key of the wrong type: the validation reports it
        }
        return List.of();
    }

    /** The herald.* settings the file (or a file it includes) sets (its leaves), by path. */
    private static Map<String, ConfigValue> userKeys(Config full) {
        Map<String, ConfigValue> keys = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : full.entrySet()) {
            if (e.getKey().startsWith("herald.") && fromUserFile(e.getValue().origin())) {
                keys.put(e.getKey(), e.getValue());
            }
        }
        return keys;
    }

    /** From the file checked or one it includes, not from a default (a class path resource). */
    private static boolean fromUserFile(ConfigOrigin origin) {
        return origin != null && origin.filename() != null && origin.resource() == null;
    }

    /** In the reference, or a setting of a dispatcher of Herald's (any key Pekko's default dispatcher has). */
    private static boolean known(Config reference, String path) {
        try {
            if (reference.hasPathOrNull(path)) {
                return true;
            }
            for (String dispatcher : DISPATCHERS) {
                if (path.startsWith(dispatcher + ".")) {
                    return reference.hasPathOrNull(PEKKO_DISPATCHER + path.substring(dispatcher.length()));
                }
            }
            return false;
        } catch (ConfigException e) {
            return false; // a path through a setting that is not an object
        }
    }

    private static String unknown(Config reference, String path) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : leafPaths(reference)) {
            int d = distance(candidate, path);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return "unknown key, not a Herald setting" + (best == null ? "" : " (did you mean " + best + "?)");
    }

    private static Set<String> leafPaths(Config reference) {
        Set<String> paths = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> e : reference.entrySet()) {
            if (e.getKey().startsWith("herald.")) {
                paths.add(e.getKey());
            }
        }
        return paths;
    }

    /** Where the payload rule a failure names ("payload-rules [2]: ...") is, else the list. */
    private static ConfigOrigin ruleOrigin(Config full, RuntimeException failure, ConfigValue rules) {
        Matcher m = RULE_INDEX.matcher(String.valueOf(failure.getMessage()));
        if (m.find()) {
            List<? extends ConfigObject> list = full.getObjectList(PAYLOAD_RULES);
            int i = Integer.parseInt(m.group(1));
            if (i < list.size() && list.get(i).origin().lineNumber() > 0) {
                return list.get(i).origin();
            }
        }
        return rules.origin();
    }

    /** Unknown keys in the file's payload rules, which the rule reader would pass over. */
    private static List<Problem> payloadRuleKeys(Config full) {
        List<Problem> problems = new ArrayList<>();
        List<? extends ConfigObject> rules;
        try {
            rules = full.getObjectList(PAYLOAD_RULES);
        } catch (ConfigException e) {
            return problems; // reported by the validation
        }
        for (int i = 0; i < rules.size(); i++) {
            for (Map.Entry<String, ConfigValue> e : rules.get(i).entrySet()) {
                if (!PAYLOAD_RULE_KEYS.contains(e.getKey())
                        && fromUserFile(e.getValue().origin())) {
                    problems.add(new Problem(
                            PAYLOAD_RULES + " [" + i + "]." + e.getKey(),
                            e.getValue().origin(),
                            "unknown key in a payload rule (one of " + new TreeSet<>(PAYLOAD_RULE_KEYS) + ")"));
                }
            }
        }
        return problems;
    }

    /**
     * The file's key a failure is about: the one on the line the failure names, else the first key of
     * the file its message names in full, else by its last path element.
     */
    private static String responsibleKey(RuntimeException failure, Map<String, ConfigValue> keys) {
        String message = messages(failure);
        ConfigOrigin place = origin(failure);
        if (place != null) {
            String onLine = null;
            for (Map.Entry<String, ConfigValue> e : keys.entrySet()) {
                ConfigOrigin o = e.getValue().origin();
                if (o.lineNumber() == place.lineNumber() && place.filename().equals(o.filename())) {
                    if (message.contains(lastElement(e.getKey()))) {
                        return e.getKey();
                    }
                    onLine = onLine == null ? e.getKey() : onLine;
                }
            }
            if (onLine != null) {
                return onLine;
            }
        }
        String best = null;
        int bestAt = Integer.MAX_VALUE;
        for (String key : keys.keySet()) {
            int at = message.indexOf(key);
            if (at >= 0 && at < bestAt) {
                best = key;
                bestAt = at;
            }
        }
        if (best != null) {
            return best;
        }
        for (String key : keys.keySet()) {
            int at = wordAt(message, lastElement(key));
            if (at >= 0 && at < bestAt) {
                best = key;
                bestAt = at;
            }
        }
        return best;
    }

    private static String lastElement(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    private static int wordAt(String text, String word) {
        for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
            int end = at + word.length();
            if ((at == 0 || !isKeyChar(text.charAt(at - 1)))
                    && (end == text.length() || !isKeyChar(text.charAt(end)))) {
                return at;
            }
        }
        return -1;
    }

    private static boolean isKeyChar(char c) {
        return Character.isLetterOrDigit(c) || c == '-';
    }

    /** The place in the user's files a failure (or its causes) names, null when none does. */
    private static ConfigOrigin origin(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConfigException ce
                    && fromUserFile(ce.origin())
                    && ce.origin().lineNumber() > 0) {
                return ce.origin();
            }
        }
        return null;
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    /** The message without the "file: line: " prefixes the configuration library puts in. */
    private static String clean(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConfigException ce && ce.origin() != null) {
                message = message.replace(ce.origin().description() + ": ", "");
            }
        }
        return message;
    }

    /** Edit distance, for "did you mean". */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}

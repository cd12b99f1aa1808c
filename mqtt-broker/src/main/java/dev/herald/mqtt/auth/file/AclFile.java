package dev.herald.mqtt.auth.file;

import dev.herald.mqtt.auth.Authorizer;
import dev.herald.mqtt.auth.ClientInfo;
import dev.herald.mqtt.auth.Permissions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules of an ACL file in Mosquitto's format. {@code user <name>} starts a user's section;
 * {@code topic [read|write|readwrite|deny] <filter>} applies to the section's user, or to anonymous
 * clients before any {@code user} line; {@code pattern [read|write|readwrite|deny] <filter>} applies to
 * every client with {@code %u} and {@code %c} replaced by its username and client id, and is skipped
 * when that value is missing, empty or holds {@code +}, {@code #} or {@code /}. Access defaults to
 * readwrite; lines starting with {@code #} and blank lines are ignored. Immutable.
 */
public final class AclFile implements Authorizer {

    private static final String USERNAME = "%u";
    private static final String CLIENT_ID = "%c";
    private static final Pattern LEVEL_BREAKERS = Pattern.compile("[+#/]");

    private final List<AclRule> anonymous;
    private final Map<String, List<AclRule>> users;
    private final List<AclRule> patterns;

    private AclFile(List<AclRule> anonymous, Map<String, List<AclRule>> users, List<AclRule> patterns) {
        this.anonymous = List.copyOf(anonymous);
        this.users = new HashMap<>();
        users.forEach((user, rules) -> this.users.put(user, List.copyOf(rules)));
        this.patterns = List.copyOf(patterns);
    }

    /**
     * Reads an ACL file; a malformed line is an {@link IllegalArgumentException} naming the file and the
     * line, an unreadable file an {@link UncheckedIOException}.
     */
    public static AclFile load(Path file) {
        try {
            return parse(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The rules of these lines; {@code source} names them in error messages. */
    static AclFile parse(String source, List<String> lines) {
        List<AclRule> anonymous = new ArrayList<>();
        Map<String, List<AclRule>> users = new HashMap<>();
        List<AclRule> patterns = new ArrayList<>();
        List<AclRule> section = anonymous;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            String[] words = line.split("\\s+", 2);
            String rest = words.length > 1 ? words[1] : "";
            try {
                switch (words[0]) {
                    case "user" -> section = users.computeIfAbsent(name(rest), user -> new ArrayList<>());
                    case "topic" -> section.add(AclRule.parse(rest));
                    case "pattern" -> patterns.add(AclRule.parse(rest));
                    default -> throw new IllegalArgumentException("unknown keyword '" + words[0] + "'");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": " + e.getMessage());
            }
        }
        return new AclFile(anonymous, users, patterns);
    }

    /** The rules that apply to this client, with its username and client id put in the patterns. */
    @Override
    public Permissions permissionsFor(ClientInfo client) {
        String user = client.username();
        List<AclRule> rules = new ArrayList<>(user == null ? anonymous : users.getOrDefault(user, List.of()));
        for (AclRule pattern : patterns) {
            String filter = substitute(pattern.filter(), client);
            if (filter != null) {
                rules.add(new AclRule(pattern.access(), filter));
            }
        }
        return new AclPermissions(rules);
    }

    /**
     * The pattern's filter with {@code %u} and {@code %c} replaced in one pass (a value that holds a
     * placeholder stays literal), or null when a value it needs cannot stand in a level.
     */
    private static String substitute(String pattern, ClientInfo client) {
        StringBuilder filter = new StringBuilder(pattern.length());
        int i = 0;
        while (i < pattern.length()) {
            boolean user = pattern.startsWith(USERNAME, i);
            if (user || pattern.startsWith(CLIENT_ID, i)) {
                String value = user ? client.username() : client.clientId();
                if (value == null
                        || value.isEmpty()
                        || LEVEL_BREAKERS.matcher(value).find()) {
                    return null;
                }
                filter.append(value);
                i += USERNAME.length();
            } else {
                filter.append(pattern.charAt(i++));
            }
        }
        return filter.toString();
    }

    private static String name(String user) {
        if (user.isEmpty()) {
            throw new IllegalArgumentException("user needs a name");
        }
        return user;
    }
}

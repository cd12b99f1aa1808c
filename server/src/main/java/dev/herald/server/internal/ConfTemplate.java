package dev.herald.server.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes the distribution's {@code conf/herald.conf} from the {@code reference.conf} files on the class
 * path that hold {@code herald.*} settings (mqtt-broker's, the server's, any other module's): their
 * text and comments as they are, every setting commented out with its default value, so the file
 * lists every key and cannot drift from the code. Run at build time ({@code prepare-package}).
 */
public final class ConfTemplate {

    /** Sections in the order they appear; any other herald section follows, by name. */
    private static final List<String> ORDER = List.of("herald.mqtt", "herald.admin", "herald.taps");

    /** A commented-out setting: '#' directly followed by the key (explanations have "# "). */
    private static final Pattern SETTING = Pattern.compile("^(\\s*)#(?=[A-Za-z0-9\"\\[\\]{}])");

    private ConfTemplate() {}

    /** {@code ConfTemplate OUTPUT_FILE VERSION}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ConfTemplate OUTPUT_FILE VERSION");
        }
        Path out = Path.of(args[0]);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, render(args[1], ConfTemplate.class.getClassLoader()));
    }

    /** The whole file: a header, then every herald reference.conf with its settings commented out. */
    public static String render(String version, ClassLoader loader) {
        List<Section> sections = heraldSections(loader);
        if (sections.isEmpty()) {
            throw new IllegalStateException("no reference.conf with herald settings on the class path");
        }
        StringBuilder out = new StringBuilder()
                .append("# Herald ")
                .append(version)
                .append(" configuration, in HOCON (a JSON superset: comments, no quotes needed).\n")
                .append("#\n")
                .append("# Generated from the defaults in the code: every setting is listed with its default\n")
                .append("# value, commented out. Remove the '#' in front of a setting to change it.\n")
                .append("# bin/herald reads this file; `bin/herald check-config conf/herald.conf` checks it\n")
                .append("# (types, values, files it names, and unknown keys, with line numbers).\n")
                .append("# The options --port, --bind, --admin-port, --data, --in-memory, --cluster-host,\n")
                .append("# --cluster-port and --seed win over this file.\n")
                .append("# Relative file paths (auth.password-file, ...) are relative to the working directory.\n")
                .append("# The herald command turns persistence on, with data/ of the installation as its\n")
                .append("# directory: herald.mqtt.persistence below shows an embedded broker's defaults.\n");
        for (Section s : sections) {
            out.append('\n').append(commentOut(s.text()));
        }
        return out.toString();
    }

    /**
     * The text with every setting commented out (a list over several lines: each of its lines);
     * comments, blank lines and the braces of sections stay.
     */
    static String commentOut(String text) {
        StringBuilder out = new StringBuilder();
        int openLists = 0;
        for (String line : text.split("\\R", -1)) {
            String t = line.strip();
            boolean structure =
                    t.isEmpty() || t.startsWith("#") || t.startsWith("//") || t.equals("}") || t.endsWith("{");
            if (openLists == 0 && structure) {
                out.append(line);
            } else if (t.contains("\"\"\"")) {
                throw new IllegalStateException("a multi-line string cannot be commented out: " + line);
            } else {
                int indent = line.length() - line.stripLeading().length();
                out.append(line, 0, indent).append('#').append(t);
                openLists += listDepthChange(t);
            }
            out.append('\n');
        }
        if (openLists != 0) {
            throw new IllegalStateException("unbalanced [ ] in a reference.conf");
        }
        return out.toString().stripTrailing() + "\n";
    }

    /**
     * The text without its top-level settings outside {@code herald} (each with the comment lines just
     * before it): a statement at the top level runs until its braces and brackets close again.
     */
    static String heraldOnly(String text) {
        StringBuilder out = new StringBuilder();
        StringBuilder statement = new StringBuilder();
        boolean herald = false;
        boolean inStatement = false;
        int depth = 0;
        for (String line : text.split("\\R", -1)) {
            String t = line.strip();
            if (!inStatement && !(t.isEmpty() || t.startsWith("#") || t.startsWith("//"))) {
                inStatement = true;
                herald = t.startsWith("herald.") || t.startsWith("herald ") || t.startsWith("herald{");
            }
            statement.append(line).append('\n');
            if (inStatement) {
                depth += braceDepthChange(t);
                if (depth == 0) {
                    if (herald) {
                        out.append(statement);
                    }
                    statement.setLength(0);
                    inStatement = false;
                }
            }
        }
        return out.toString().stripTrailing() + "\n";
    }

    /** Opened minus closed braces and brackets outside quoted strings and comments. */
    private static int braceDepthChange(String line) {
        return listDepthChange(line.replace('{', '[').replace('}', ']'));
    }

    /** Opened minus closed brackets outside quoted strings and comments. */
    private static int listDepthChange(String line) {
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '#' || (c == '/' && line.startsWith("//", i))) {
                break;
            } else if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            }
        }
        return depth;
    }

    /** The template with every commented-out setting active again: the defaults it was made from. */
    public static Config uncommented(String template) {
        StringBuilder out = new StringBuilder();
        for (String line : template.split("\\R", -1)) {
            out.append(SETTING.matcher(line).replaceFirst("$1")).append('\n');
        }
        return ConfigFactory.parseString(
                out.toString(), ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF));
    }

    private record Section(String name, String text) {}

    private static List<Section> heraldSections(ClassLoader loader) {
        List<Section> sections = new ArrayList<>();
        try {
            for (URL url : Collections.list(loader.getResources("reference.conf"))) {
                String text;
                try (InputStream in = url.openStream()) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                Config parsed = ConfigFactory.parseString(text);
                if (!parsed.hasPath("herald")) {
                    continue;
                }
                if (parsed.root().size() != 1) {
                    text = heraldOnly(text); // a module's Pekko settings (cluster serialization) are not the user's
                    if (ConfigFactory.parseString(text).root().size() != 1) {
                        throw new IllegalStateException(url + " holds settings outside herald that cannot be left "
                                + "out: " + parsed.root().keySet());
                    }
                }
                List<String> keys = new ArrayList<>(parsed.getObject("herald").keySet());
                Collections.sort(keys);
                sections.add(new Section("herald." + keys.get(0), text));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sections.sort(Comparator.comparing((Section s) -> rank(s.name())).thenComparing(Section::name));
        return sections;
    }

    private static int rank(String section) {
        int i = ORDER.indexOf(section);
        return i < 0 ? ORDER.size() : i;
    }
}

package dev.herald.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every code block of a guide marked {@code <!-- sample: NAME -->} is, line for line, the region
 * between {@code // sample: NAME} and {@code // end sample} of a test in this module, so the guides
 * show code that compiles and runs. After changing a sample, {@code mvn verify -pl docs
 * -Dsamples.update=true} copies it into the guide.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SamplesInSyncTest {

    private static final Pattern MARKED_BLOCK =
            Pattern.compile("<!-- sample: ([\\w-]+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern REGION = Pattern.compile(
            "^([ \\t]*)// sample: ([\\w-]+)[ \\t]*\\n(.*?)^[ \\t]*// end sample", Pattern.DOTALL | Pattern.MULTILINE);

    private static Path moduleDir() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("src/test/java/dev/herald/docs")) ? here : here.resolve("docs");
    }

    private static Map<String, String> regions() throws IOException {
        Map<String, String> regions = new HashMap<>();
        try (Stream<Path> files = Files.walk(moduleDir().resolve("src/test/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = REGION.matcher(Files.readString(file));
                while (m.find()) {
                    regions.put(m.group(2), dedent(m.group(3), m.group(1).length()));
                }
            }
        }
        return regions;
    }

    private static String dedent(String code, int indent) {
        StringBuilder out = new StringBuilder();
        for (String line : code.split("\n", -1)) {
            out.append(line.length() >= indent ? line.substring(indent) : line.strip())
                    .append('\n');
        }
        return out.toString().stripTrailing() + "\n";
    }

    /** With {@code -Dsamples.update=true} the guides' marked blocks are rewritten from the tests first. */
    @Test
    void everyMarkedBlockIsItsSample() throws IOException {
        Map<String, String> regions = regions();
        List<String> checked = new ArrayList<>();
        try (Stream<Path> guides = Files.list(moduleDir())) {
            for (Path guide : guides.filter(f -> f.toString().endsWith(".md")).toList()) {
                if (Boolean.getBoolean("samples.update")) {
                    Files.writeString(
                            guide, MARKED_BLOCK.matcher(Files.readString(guide)).replaceAll(r -> {
                                String code = regions.getOrDefault(r.group(1), r.group(2));
                                return Matcher.quoteReplacement(
                                        "<!-- sample: " + r.group(1) + " -->\n```java\n" + code + "```");
                            }));
                }
                Matcher m = MARKED_BLOCK.matcher(Files.readString(guide));
                while (m.find()) {
                    String name = m.group(1);
                    assertThat(regions)
                            .as("a // sample: %s region for %s", name, guide.getFileName())
                            .containsKey(name);
                    assertThat(m.group(2))
                            .as("the %s sample in %s", name, guide.getFileName())
                            .isEqualTo(regions.get(name));
                    checked.add(name);
                }
            }
        }
        assertThat(checked).isNotEmpty();
    }
}

package dev.tributary.tck.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.tck.memory.MemoryTckTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * A third party's first run, as stream-tck/README.md tells it: its "first run" pom and test class are copied
 * from the README's own text into an empty directory and built with {@code mvn verify} by a Maven of their
 * own, which must run every rule of the kit — not zero rules reported as success.
 *
 * <p>The project resolves this build's jars, never what an earlier {@code mvn install} left in {@code ~/.m2}:
 * they are laid out in a temporary local repository that Maven 3.9 reads first ({@code maven.repo.local}),
 * with {@code ~/.m2} behind it, read only, for everything else ({@code maven.repo.local.tail}). The Maven and
 * the jars are put in {@code target/readme-first-run} by stream-tck's pom.
 */
class ReadmeFirstRunIT {
    private static final Pattern BLOCK = Pattern.compile("```(xml|java)\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theReadmesFirstRunProjectRunsEveryRuleOfTheKit(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Path.of(property("tributary.readme.file")));
        String pom = block(readme, "xml", "<project");
        String test = block(readme, "java", "ClientConfig.parse(\"memory:kit-demo\")");
        for (String fragment : List.of(
                block(readme, "xml", "<artifactId>stream-tck</artifactId>", "<project"),
                block(readme, "xml", "<artifactId>maven-failsafe-plugin</artifactId>", "<project"))) {
            assertTrue(
                    squash(pom).contains(squash(fragment)),
                    "the first-run pom is made of the README's snippets; it lacks:\n" + fragment);
        }
        String version = property("tributary.readme.version");
        assertTrue(
                pom.contains("<version>" + version + "</version>"),
                "the README's pom names this build's version " + version);

        Path project = dir.resolve("project");
        Files.createDirectories(project.resolve("src/test/java/com/acme/tributary"));
        Files.writeString(project.resolve("pom.xml"), pom);
        Files.writeString(project.resolve("src/test/java/com/acme/tributary/MemoryKitIT.java"), test);
        Path head = dir.resolve("repository");
        layOut(head, version);

        Path log = dir.resolve("build.log");
        Path mvn = Path.of(property("tributary.readme.maven"), "bin", "mvn");
        Process p = new ProcessBuilder(
                        mvn.toString(),
                        "-B",
                        "-ntp",
                        "-Dmaven.repo.local=" + head,
                        "-Dmaven.repo.local.tail=" + property("tributary.readme.localRepository"),
                        "verify")
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the first-run project's mvn verify ran over 10 minutes:\n" + tail(log));
        }
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), () -> "mvn verify of the README's first-run project failed:\n" + tail(log));

        Matcher totals = Pattern.compile("Tests run: (\\d+), Failures: (\\d+), Errors: (\\d+), Skipped: (\\d+)\\s*\\n")
                .matcher(out);
        List<int[]> found = new ArrayList<>();
        while (totals.find()) {
            found.add(new int[] {
                Integer.parseInt(totals.group(1)),
                Integer.parseInt(totals.group(2)),
                Integer.parseInt(totals.group(3)),
                Integer.parseInt(totals.group(4))
            });
        }
        assertTrue(!found.isEmpty(), () -> "failsafe printed no totals:\n" + tail(log));
        int[] last = found.get(found.size() - 1);
        long rules = rulesOfTheKit();
        System.out.printf(
                "README first run: %d rules run, %d failed, %d errors, %d skipped; the kit has %d%n",
                last[0], last[1], last[2], last[3], rules);
        assertEquals(rules, last[0], () -> "every rule of the kit runs (" + rules + "):\n" + tail(log));
        assertEquals(0, last[1] + last[2], () -> "no rule fails on memory:\n" + tail(log));
        assertTrue(last[3] < last[0] / 2, () -> "most rules run rather than skip:\n" + tail(log));
    }

    /** The rules the kit has, as the JUnit Platform discovers them in the kit's own memory run. */
    private static long rulesOfTheKit() {
        TestPlan plan = LauncherFactory.create()
                .discover(LauncherDiscoveryRequestBuilder.request()
                        .selectors(DiscoverySelectors.selectClass(MemoryTckTest.class))
                        .build());
        return plan.countTestIdentifiers(id -> id.isTest());
    }

    /**
     * A local repository holding this build's parent, API, core and memory backend (copied by the pom) and the
     * kit itself, in Maven's layout.
     */
    private static void layOut(Path head, String version) throws IOException {
        Path artifacts = Path.of(property("tributary.readme.artifacts"));
        try (Stream<Path> files = Files.list(artifacts)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                String artifactId = name.substring(0, name.length() - ("-" + version).length() - 4);
                put(head, artifactId, version, f, name.substring(name.length() - 3));
            }
        }
        put(head, "stream-tck", version, Path.of(property("tributary.readme.kitJar")), "jar");
        put(head, "stream-tck", version, Path.of(property("tributary.readme.kitPom")), "pom");
    }

    private static void put(Path head, String artifactId, String version, Path file, String ext) throws IOException {
        Path dir = head.resolve("dev/tributary").resolve(artifactId).resolve(version);
        Files.createDirectories(dir);
        Files.copy(file, dir.resolve(artifactId + "-" + version + "." + ext));
    }

    /** The first fenced block of {@code lang} containing {@code marker} (and not {@code unless}, if given). */
    private static String block(String readme, String lang, String marker, String... unless) {
        Matcher m = BLOCK.matcher(readme);
        while (m.find()) {
            String body = m.group(2);
            if (m.group(1).equals(lang) && body.contains(marker) && (unless.length == 0 || !body.contains(unless[0]))) {
                return body;
            }
        }
        throw new AssertionError("stream-tck/README.md has no ```" + lang + " block with " + marker);
    }

    private static String squash(String s) {
        return s.replaceAll("\\s+", "");
    }

    private static String property(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set: run this test through stream-tck's pom (failsafe)");
        }
        return v;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}

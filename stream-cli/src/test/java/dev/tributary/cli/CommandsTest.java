package dev.tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every everyday command driven as a user types it, against a named memory store. */
class CommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private String uri;

    @BeforeEach
    void freshStore() {
        uri = Cli.freshStore();
    }

    private Cli.Result ok(String... args) {
        Cli.Result r = Cli.run(args);
        assertEquals(0, r.exitCode(), r::toString);
        return r;
    }

    private String[] with(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--uri";
        all[1] = uri;
        System.arraycopy(args, 0, all, 2, args.length);
        return all;
    }

    @Test
    void produceFromArgumentsPrintsOneIdPerRecordInOrder() {
        Cli.Result r = ok(with("produce", "orders", "a", "b", "c"));
        List<String> ids = r.outLines();
        assertEquals(3, ids.size(), r::toString);
        assertTrue(r.err().contains("appended 3 records to orders"), r::toString);
        Cli.Result range = ok(with("range", "orders", "-o", "json"));
        List<String> lines = range.outLines();
        assertEquals(3, lines.size(), range::toString);
        for (int i = 0; i < 3; i++) {
            JsonNode n = json(lines.get(i));
            assertEquals(ids.get(i), n.get("id").asText());
            assertEquals(List.of("a", "b", "c").get(i), n.get("payload").asText());
        }
    }

    @Test
    void produceWithKeyAndHeadersKeepsThemInOrderIncludingRepeats() {
        ok(with(
                "produce",
                "s1",
                "{\"x\":1}",
                "-k",
                "customer-7",
                "-H",
                "type=created",
                "-H",
                "origin=crm",
                "-H",
                "type=again",
                "-H",
                "eq=a=b"));
        JsonNode n = json(ok(with("range", "s1", "-o", "json")).outLines().get(0));
        assertEquals("customer-7", n.get("key").asText());
        assertEquals("{\"x\":1}", n.get("payload").asText());
        JsonNode h = n.get("headers");
        assertEquals(4, h.size());
        assertEquals("type", h.get(0).get("key").asText());
        assertEquals("created", h.get(0).get("value").asText());
        assertEquals("origin", h.get(1).get("key").asText());
        assertEquals("again", h.get(2).get("value").asText());
        assertEquals("a=b", h.get(3).get("value").asText());
    }

    @Test
    void produceReadsStandardInputLinesIncludingEmptyOnes() {
        Cli.Result r = Cli.runWithInput("one\n\nthree\n", with("produce", "lines"));
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(3, r.outLines().size(), r::toString);
        List<String> payloads = ok(with("range", "lines", "-o", "json")).outLines().stream()
                .map(l -> json(l).get("payload").asText())
                .toList();
        assertEquals(List.of("one", "", "three"), payloads);

        Cli.Result skip = Cli.runWithInput("x\n\ny\n", with("produce", "lines2", "--skip-empty-lines", "-q"));
        assertEquals(0, skip.exitCode(), skip::toString);
        assertEquals("", skip.out(), "--quiet prints no ids");
        assertEquals(2, ok(with("range", "lines2")).outLines().size());
    }

    @Test
    void produceFromFilesStoresEachFileAsOneBinaryRecord(@TempDir Path dir) throws Exception {
        Path bin = dir.resolve("blob.bin");
        Files.write(bin, new byte[] {(byte) 0xff, 0, 1, 2});
        Path txt = dir.resolve("doc.json");
        Files.writeString(txt, "{\n \"a\": 1\n}\n");
        ok(with("produce", "files", "-f", bin.toString(), "--file", txt.toString()));
        List<String> lines = ok(with("range", "files", "-o", "json")).outLines();
        assertEquals(2, lines.size());
        assertEquals("/wABAg==", json(lines.get(0)).get("payloadBase64").asText());
        assertEquals("{\n \"a\": 1\n}\n", json(lines.get(1)).get("payload").asText());
        // text output keeps one event per line
        List<String> text = ok(with("range", "files")).outLines();
        assertEquals(2, text.size(), String.join("\n", text));
        assertTrue(text.get(0).endsWith("base64:/wABAg=="), text.get(0));
        assertTrue(text.get(1).endsWith("{\\n \"a\": 1\\n}\\n"), text.get(1));
    }

    @Test
    void produceOfAMissingFileFailsWithOneLine(@TempDir Path dir) {
        Cli.Result r =
                Cli.run(with("produce", "files", "-f", dir.resolve("nope").toString()));
        assertEquals(1, r.exitCode(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().startsWith("tributary: no such file"), r::toString);
    }

    @Test
    void tailFromEarliestPrintsEventsAndTheIdToResumeAfter() {
        List<String> ids = ok(with("produce", "t", "e1", "e2", "e3", "e4")).outLines();
        Cli.Result first = ok(with("tail", "t", "--from", "earliest", "-n", "2"));
        assertEquals(2, first.outLines().size(), first::toString);
        assertTrue(first.outLines().get(0).startsWith(ids.get(0) + " "), first::toString);
        assertTrue(first.outLines().get(0).endsWith("e1"), first::toString);
        assertTrue(first.err().contains("resume with --from " + ids.get(1)), first::toString);

        Cli.Result rest = ok(with("tail", "t", "--from", ids.get(1), "--idle", "300ms", "-o", "json"));
        assertEquals(
                List.of("e3", "e4"),
                rest.outLines().stream()
                        .map(l -> json(l).get("payload").asText())
                        .toList());
    }

    @Test
    void tailFromLatestSeesNothingOldAndStopsWhenIdle() {
        ok(with("produce", "t2", "old"));
        Cli.Result r = ok(with("tail", "t2", "--idle", "200ms"));
        assertEquals("", r.out(), r::toString);
        assertTrue(r.err().contains("# 0 events"), r::toString);
    }

    @Test
    void tailFromATimeReadsEventsAtOrAfterIt() {
        ok(with("produce", "t3", "x", "y"));
        Cli.Result r = ok(with("tail", "t3", "--from", "2000-01-01", "--idle", "200ms"));
        assertEquals(2, r.outLines().size(), r::toString);
        Cli.Result future = ok(with("tail", "t3", "--from", "2999-01-01T00:00:00Z", "--idle", "200ms"));
        assertEquals(0, future.outLines().size(), future::toString);
        Cli.Result ago = ok(with("tail", "t3", "--from", "-1h", "--idle", "200ms"));
        assertEquals(2, ago.outLines().size(), ago::toString);
    }

    @Test
    void tailAsGroupMembersSplitsTheStreamAndAcks() {
        ok(with("produce", "g", "1", "2", "3", "4", "5", "6"));
        Cli.Result a = ok(with("tail", "g", "--group", "workers", "--member", "a", "-n", "4"));
        Cli.Result b = ok(with("tail", "g", "-g", "workers", "-m", "b", "--idle", "300ms"));
        assertEquals(4, a.outLines().size(), a::toString);
        assertEquals(2, b.outLines().size(), b::toString);
        assertTrue(a.err().contains("; group workers: pending 0, lag 2"), a::toString);
        assertTrue(b.err().contains("; group workers: pending 0, lag 0"), b::toString);
        Cli.Result groups = ok(with("groups", "g", "-o", "json"));
        JsonNode g = json(groups.out()).get(0);
        assertEquals("workers", g.get("group").asText());
        assertEquals(0, g.get("pending").asLong(), groups::toString);
        assertEquals(0, g.get("lag").asLong(), groups::toString);
    }

    @Test
    void tailAsGroupMemberWithoutAckLeavesEventsPending() {
        ok(with("produce", "p", "1", "2", "3"));
        Cli.Result tail = ok(with("tail", "p", "-g", "audit", "-m", "m1", "--no-ack", "-n", "2"));
        assertTrue(tail.err().contains("; group audit: pending 2, lag 1"), tail::toString);
        Cli.Result groups = ok(with("groups", "p"));
        List<String> lines = groups.outLines();
        assertTrue(lines.get(0).startsWith("GROUP"), groups::toString);
        String row = lines.get(1);
        assertTrue(row.matches("audit\\s+2\\s+1\\s+.*m1.*"), groups::toString);
    }

    @Test
    void rangeBetweenIdsIsExclusiveFromInclusiveToAndPagesWithoutGapsOrRepeats() {
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < 57; i++) {
            in.append("v").append(i).append('\n');
        }
        Cli.Result p = Cli.runWithInput(in.toString(), with("produce", "r"));
        List<String> ids = p.outLines();
        assertEquals(57, ids.size());
        Cli.Result all = ok(with("range", "r", "--page", "5", "-o", "json"));
        List<String> seen =
                all.outLines().stream().map(l -> json(l).get("id").asText()).toList();
        assertEquals(ids, seen);
        Cli.Result part = ok(with("range", "r", "--from", ids.get(9), "--to", ids.get(19), "--page", "3"));
        assertEquals(10, part.outLines().size(), part::toString);
        assertTrue(part.outLines().get(0).startsWith(ids.get(10) + " "), part::toString);
        assertTrue(part.outLines().get(9).startsWith(ids.get(19) + " "), part::toString);
        assertEquals(
                7, ok(with("range", "r", "-n", "7", "--page", "2")).outLines().size());
    }

    @Test
    void aPartitionedStreamIsCreatedDescribedAndPagedWithACursorThatResumes() {
        ok(with("produce", "p", "--partitions", "3", "-k", "a", "a1", "a2"));
        ok(with("produce", "p", "-k", "b", "b1", "b2"));
        ok(with("produce", "p", "--partitions", "5", "-k", "c", "c1", "c2")); // exists: keeps 3
        JsonNode info = json(ok(with("info", "p", "-o", "json")).outLines().get(0));
        assertEquals(3, info.get("partitions").asInt(), info::toString);
        assertEquals(6, info.get("length").asInt(), info::toString);
        assertEquals(3, info.get("partitionInfo").size(), info::toString);
        Cli.Result all = ok(with("range", "p", "--page", "2", "-o", "json"));
        List<String> payloads = all.outLines().stream()
                .map(l -> json(l).get("payload").asText())
                .toList();
        assertEquals(6, payloads.size(), all::toString);
        assertTrue(payloads.indexOf("a1") < payloads.indexOf("a2"), "order per key: " + payloads);
        Cli.Result head = ok(with("range", "p", "-n", "3", "-o", "json"));
        String err = head.err();
        assertTrue(err.contains("cursor "), head::toString);
        String cursor = err.substring(err.indexOf("cursor ") + 7, err.indexOf(" (continue"));
        Cli.Result rest = ok(with("range", "p", "--from", cursor, "-o", "json"));
        List<String> resumed = new java.util.ArrayList<>();
        head.outLines().forEach(l -> resumed.add(json(l).get("payload").asText()));
        rest.outLines().forEach(l -> resumed.add(json(l).get("payload").asText()));
        assertEquals(Set.copyOf(payloads), Set.copyOf(resumed), rest::toString);
        assertEquals(6, resumed.size(), "no event twice: " + resumed);
        Cli.Result oneId = Cli.run(with("range", "p", "--from", "1"));
        assertEquals(Errors.USAGE, oneId.exitCode(), oneId::toString);
        assertTrue(oneId.err().contains("cursor"), oneId::toString);
    }

    @Test
    void infoDescribesTheBackendAndStreams() {
        Cli.Result backend = ok(with("info"));
        assertTrue(backend.out().contains("backend       memory"), backend::toString);
        assertTrue(backend.out().contains("health        up"), backend::toString);
        assertTrue(backend.out().contains("CONSUMER_GROUPS"), backend::toString);
        JsonNode b = json(ok(with("info", "-o", "json")).out());
        assertEquals("memory", b.get("backend").asText());
        assertTrue(b.get("limits").get("maxPayloadBytes").asInt() > 0);

        List<String> ids = ok(with("produce", "i", "a", "b")).outLines();
        ok(with("groups", "i", "--create", "billing"));
        JsonNode n = json(ok(with("info", "i", "-o", "json")).out());
        assertEquals(2, n.get("length").asLong());
        assertEquals(ids.get(0), n.get("firstId").asText());
        assertEquals(ids.get(1), n.get("lastId").asText());
        assertEquals("billing", n.get("groups").get(0).get("group").asText());
        assertEquals(2, n.get("groups").get(0).get("lag").asLong());
        Cli.Result text = ok(with("info", "i"));
        assertTrue(text.out().contains("length  2"), text::toString);
        assertTrue(text.out().contains("billing (pending 0, lag 2)"), text::toString);
    }

    @Test
    void trimKeepsTheNewestAndReportsWhatItRemoved() {
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            in.append(i).append('\n');
        }
        List<String> ids = Cli.runWithInput(in.toString(), with("produce", "tr", "-q"))
                .out()
                .lines()
                .toList();
        assertTrue(ids.isEmpty());
        Cli.Result r = ok(with("trim", "tr", "--max-length", "4"));
        assertTrue(r.out().matches("(?s)removed \\d+ events from tr; length now 4\\s*"), r::toString);
        List<String> left = ok(with("range", "tr", "-o", "json")).outLines().stream()
                .map(l -> json(l).get("payload").asText())
                .toList();
        assertEquals(List.of("6", "7", "8", "9"), left);
    }

    @Test
    void trimNeedsExactlyOneRequest() {
        ok(with("produce", "tr2", "x"));
        Cli.Result none = Cli.run(with("trim", "tr2"));
        assertEquals(2, none.exitCode(), none::toString);
        Cli.Result two = Cli.run(with("trim", "tr2", "--max-length", "1", "--older-than", "1h"));
        assertEquals(2, two.exitCode(), two::toString);
        assertTrue(two.err().startsWith("tributary: "), two::toString);
    }

    @Test
    void groupsCreateListAndDelete() {
        ok(with("produce", "gs", "a"));
        Cli.Result empty = ok(with("groups", "gs"));
        assertTrue(empty.out().startsWith("no groups on gs"), empty::toString);
        Cli.Result created = ok(with("groups", "gs", "--create", "g1", "--from", "latest", "--ack-timeout", "5s"));
        assertTrue(created.out().contains("group g1 on gs ready"), created::toString);
        JsonNode g = json(ok(with("groups", "gs", "g1", "-o", "json")).out()).get(0);
        assertEquals(0, g.get("lag").asLong(), "a group created at latest has nothing to read");
        ok(with("groups", "gs", "--delete", "g1"));
        Cli.Result again = Cli.run(with("groups", "gs", "--delete", "g1"));
        assertEquals(1, again.exitCode(), again::toString);
        assertTrue(again.err().contains("group 'g1' does not exist"), again::toString);
    }

    @Test
    void globalOptionsWorkAfterTheSubcommandToo() {
        Cli.Result r = Cli.run("produce", "late", "x", "--uri", uri);
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(1, ok(with("range", "late")).outLines().size());
    }

    @Test
    void helpAndVersionAndCompletionAnswer() {
        Cli.Result help = ok("--help");
        for (String c : List.of("demo", "produce", "tail", "range", "info", "trim", "groups", "tck", "bench")) {
            assertTrue(help.out().contains("  " + c), "help lists " + c + "\n" + help);
        }
        assertTrue(ok("--version").out().startsWith("tributary "));
        Cli.Result completion = ok("generate-completion");
        assertTrue(completion.out().contains("complete -F"), "bash completion script");
        Cli.Result tailHelp = ok("tail", "--help");
        assertTrue(tailHelp.out().contains("--group"), tailHelp::toString);
        Cli.Result none = ok();
        assertTrue(none.out().contains("Usage: tributary"), none::toString);
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }
}

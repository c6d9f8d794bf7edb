package dev.tributary.nats.internal;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads the {@code jetstream.<name>} options that map a Tributary stream name onto an existing
 * JetStream stream (see the module README, "Adopting an existing stream"):
 *
 * <pre>
 * jetstream.&lt;name&gt;=&lt;STREAM&gt;[:&lt;filter subject&gt;[:&lt;append subject&gt;]]
 * </pre>
 *
 * <ul>
 *   <li>{@code <name>}: the Tributary stream name (portable grammar); the namespace does not apply;</li>
 *   <li>{@code <STREAM>}: the JetStream stream name, as the server spells it;</li>
 *   <li>{@code <filter subject>}: the subject filter of reads, ranges, groups and info (wildcards
 *       allowed); absent or empty = the whole stream;</li>
 *   <li>{@code <append subject>}: a literal subject that appends go to, covered by the filter; by
 *       default the filter when it is literal, else appends are refused.</li>
 * </ul>
 * Subjects and stream names containing {@code :} cannot be named here. In a URI, {@code >} is
 * written {@code %3E}. Every problem is reported to the option reader, so all bad options of a URI
 * appear in one {@code CONFIGURATION} error.
 */
final class NatsAdoption {
    /** Prefix of the option family. */
    static final String PREFIX = "jetstream.";
    /** Longest JetStream stream name accepted. */
    static final int MAX_STREAM = 255;

    private NatsAdoption() {}

    /** True for option names of this family. */
    static boolean isAdoptionOption(String option) {
        return option.startsWith(PREFIX);
    }

    /**
     * The adopted streams by Tributary stream name.
     *
     * @param options every backend option
     * @param problem receives one message per bad option
     */
    static Map<String, NatsTarget> parse(Map<String, String> options, Consumer<String> problem) {
        Map<String, NatsTarget> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (!isAdoptionOption(e.getKey())) {
                continue;
            }
            String error = parseOne(e.getKey(), e.getValue(), out);
            if (error != null) {
                problem.accept(e.getKey() + "=" + e.getValue() + ": " + error
                        + " (write jetstream.<name>=<STREAM>[:<filter subject>[:<append subject>]], "
                        + "e.g. jetstream.orders=ORDERS:orders.%3E:orders.created)");
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static String parseOne(String option, String value, Map<String, NatsTarget> out) {
        String name = option.substring(PREFIX.length());
        try {
            StreamName.check(name, "stream name");
        } catch (StreamException ex) {
            return "'" + name + "' is not a valid Tributary stream name (letters, digits, _ and -)";
        }
        List<String> parts = List.of(value.split(":", -1));
        if (parts.size() > 3) {
            return "too many ':' (subjects and stream names containing ':' cannot be adopted)";
        }
        String stream = parts.get(0);
        String streamProblem = streamProblem(stream);
        if (streamProblem != null) {
            return "the JetStream stream name " + streamProblem;
        }
        String filter = parts.size() > 1 && !parts.get(1).isEmpty() ? parts.get(1) : null;
        if (filter != null && Subjects.problem(filter) != null) {
            return "the filter subject '" + filter + "' " + Subjects.problem(filter);
        }
        String append = parts.size() > 2 && !parts.get(2).isEmpty() ? parts.get(2) : null;
        if (parts.size() > 2 && append == null) {
            return "the append subject after the second ':' is empty; leave out the ':' for none";
        }
        if (append != null) {
            if (Subjects.problem(append) != null) {
                return "the append subject '" + append + "' " + Subjects.problem(append);
            }
            if (!Subjects.isLiteral(append)) {
                return "the append subject '" + append + "' has a wildcard; appends need one literal subject";
            }
            if (filter != null && !Subjects.covers(filter, append)) {
                return "the append subject '" + append + "' is not matched by the filter '" + filter
                        + "', so appended events would never be read back";
            }
        } else if (filter != null && Subjects.isLiteral(filter)) {
            append = filter;
        }
        out.put(name, new NatsTarget(stream, filter, append, true, option));
        return null;
    }

    /** Why {@code s} is not a JetStream stream name, or null. */
    static String streamProblem(String s) {
        if (s.isEmpty()) {
            return "is empty";
        }
        if (s.length() > MAX_STREAM) {
            return "is longer than " + MAX_STREAM + " characters";
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.'
                    || c == '*'
                    || c == '>'
                    || c == '/'
                    || c == '\\'
                    || Character.isWhitespace(c)
                    || Character.isISOControl(c)) {
                return "'" + s + "' holds a character JetStream does not allow in stream names "
                        + "(., *, >, /, \\, whitespace or a control character)";
            }
        }
        return null;
    }

    /**
     * Checks an adopted stream at createStream, which changes nothing: that it exists ({@code si} not
     * null), that its subjects overlap the filter and capture the append subject.
     */
    static void verify(String what, NatsTarget t, io.nats.client.api.StreamInfo si) {
        if (si == null) {
            throw new StreamException(
                    ErrorKind.NOT_FOUND,
                    what + ": JetStream stream " + t.stream() + " does not "
                            + "exist, and Tributary never creates or changes an adopted stream; create it with the nats tool "
                            + "(nats stream add " + t.stream() + " --subjects ...) or drop option " + t.option());
        }
        List<String> subjects = si.getConfiguration().getSubjects();
        if (subjects.isEmpty()) {
            return; // a mirror or a stream of sources: it captures no subjects of its own
        }
        if (t.filter() != null && subjects.stream().noneMatch(x -> Subjects.overlap(x, t.filter()))) {
            throw new StreamException(
                    ErrorKind.CONFIGURATION,
                    what + ": the filter " + t.filter() + " matches " + "nothing the stream captures (" + subjects
                            + "); fix option " + t.option());
        }
        if (t.append() != null && subjects.stream().noneMatch(x -> Subjects.covers(x, t.append()))) {
            throw new StreamException(
                    ErrorKind.CONFIGURATION,
                    what + ": the append subject " + t.append() + " is " + "not captured by the stream (" + subjects
                            + "), so appends would fail; fix option " + t.option());
        }
    }
}

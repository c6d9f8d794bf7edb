package dev.tributary.cli.command;

import dev.tributary.ClientConfig;
import dev.tributary.EventId;
import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.cli.CliException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Parsing of the command-line forms shared by several commands (positions, durations, headers). */
public final class Args {
    /** The help text describing {@link #position}. */
    public static final String POSITION_HELP = "earliest, latest, an event id (read after it, exclusive), "
            + "a cursor over partitions (41,-,7: read after it), "
            + "a time (2026-01-31T12:00:00Z or 2026-01-31) or an age (-10m: ten minutes ago)";

    private Args() {}

    /**
     * Parses a start position: {@code earliest}, {@code latest}, an ISO-8601 instant or date, an age
     * written {@code -10m} / {@code -2h} (that long ago), or an event id of this backend, read
     * <em>after</em> it (exclusive), as when resuming from the last id seen.
     */
    public static Position position(String text, StreamClient client) {
        Position p = positionWithoutId(text);
        if (p != null) {
            return p;
        }
        String t = text.trim();
        try {
            return Position.after(client.parseId(t));
        } catch (dev.tributary.StreamException e) {
            if (e.kind() != dev.tributary.ErrorKind.INVALID_ARGUMENT) {
                throw e;
            }
            throw CliException.usage(
                    "'" + t + "' is not a position: write " + POSITION_HELP + " (" + e.getMessage() + ")");
        }
    }

    /**
     * The position {@code text} names when it is a keyword, a time, a date or an age — every form
     * that needs no broker; {@code null} when it can only be an event id (which needs the backend).
     * Bad times, dates and ages fail here, before any I/O.
     */
    public static Position positionWithoutId(String text) {
        String t = text.trim();
        if (t.indexOf(',') >= 0) { // a cursor over partitions, as range and tail print it
            try {
                return Position.after(dev.tributary.Cursor.parse(t));
            } catch (dev.tributary.StreamException e) {
                throw CliException.usage("'" + t + "' is not a cursor: " + e.getMessage());
            }
        }
        switch (t.toLowerCase(Locale.ROOT)) {
            case "earliest":
            case "beginning":
            case "first":
                return Position.earliest();
            case "latest":
            case "end":
            case "now":
                return Position.latest();
            default:
                break;
        }
        if (t.startsWith("-") && t.length() > 1) {
            Duration age = ClientConfig.parseDuration("age", t.substring(1));
            return Position.at(Instant.now().minus(age));
        }
        if (t.contains("T") || t.contains(":")) {
            try {
                return Position.at(Instant.parse(t));
            } catch (DateTimeParseException e) {
                throw CliException.usage("'" + t + "' is not a time; write e.g. 2026-01-31T12:00:00Z");
            }
        }
        if (t.length() == 10 && t.charAt(4) == '-' && t.charAt(7) == '-') {
            try {
                return Position.at(LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e) {
                throw CliException.usage("'" + t + "' is not a date; write e.g. 2026-01-31");
            }
        }
        return null;
    }

    /** Parses an event id of this backend. */
    public static EventId id(String text, StreamClient client) {
        return client.parseId(text.trim());
    }

    /** Parses a duration such as {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h} or {@code PT5S}. */
    public static Duration duration(String name, String text) {
        return ClientConfig.parseDuration(name, text);
    }

    /**
     * The options of a group a command creates: the defaults, with the start at {@code from} (a
     * {@linkplain #position position}) and the ack timeout of {@code --ack-timeout} where they are given.
     *
     * @param from       the start position as written, or null for the default start
     * @param ackTimeout the {@code --ack-timeout} duration as written, or null for the default
     * @param client     the client whose ids {@code from} may name
     * @return the options to create the group with
     */
    public static GroupOptions groupOptions(String from, String ackTimeout, StreamClient client) {
        GroupOptions options = GroupOptions.defaults();
        if (from != null) {
            options = options.withStart(position(from, client));
        }
        if (ackTimeout != null) {
            options = options.withAckTimeout(duration("--ack-timeout", ackTimeout));
        }
        return options;
    }

    /** Splits {@code key=value} (the value may contain '='; an empty value is allowed). */
    public static String[] header(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw CliException.usage("header '" + text + "' must be written key=value");
        }
        return new String[] {text.substring(0, eq), text.substring(eq + 1)};
    }
}

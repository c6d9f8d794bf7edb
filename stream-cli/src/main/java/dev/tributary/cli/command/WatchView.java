package dev.tributary.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.GroupInfo;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What {@code groups --watch} prints for one refresh: a header line (stream, length, append rate,
 * time), then one row per group — pending, lag, acked per second, lag change per second, members —
 * the groups furthest behind first. Bounded: at most {@code rows} groups (then one line says how many
 * more there are) and members cut to {@value #MEMBERS_WIDTH} characters, so a refresh is never longer
 * than {@code rows + 3} lines of about 110 characters. A rate shows {@code -} on the first refresh
 * (nothing to compare with) and {@code ?} when it cannot be told (see {@link WatchRates}).
 */
final class WatchView {
    static final int MEMBERS_WIDTH = 32;
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Comparator<GroupInfo> FURTHEST_BEHIND = Comparator.comparingLong(
                    (GroupInfo g) -> g.lag() < 0 ? -1 : g.lag())
            .reversed()
            .thenComparing(Comparator.comparingLong(GroupInfo::pending).reversed())
            .thenComparing(GroupInfo::group);

    private final int rows;
    private final Duration interval;

    /**
     * @param rows     the most groups a refresh shows (1 or more)
     * @param interval the refresh interval, shown in the header
     */
    WatchView(int rows, Duration interval) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be 1 or more, got " + rows);
        }
        this.rows = rows;
        this.interval = interval;
    }

    /** The text lines of a refresh; {@code rates} is null on the first one. */
    List<String> text(WatchSample now, WatchRates rates) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(
                Locale.ROOT,
                "%s  length %d  appended %s/s  at %s UTC, every %s",
                now.stream().stream(),
                now.stream().length(),
                rate(rates == null ? null : rates.appendedPerSecond(), false),
                TIME.format(now.at()),
                human(interval)));
        if (now.groups().isEmpty()) {
            lines.add("no groups on " + now.stream().stream());
            return lines;
        }
        lines.add(String.format(
                Locale.ROOT,
                "%-24s %10s %10s %10s %10s  %s",
                "GROUP",
                "PENDING",
                "LAG",
                "ACKED/S",
                "LAG/S",
                "MEMBERS"));
        List<GroupInfo> sorted = now.groups().stream().sorted(FURTHEST_BEHIND).toList();
        for (GroupInfo g : sorted.subList(0, Math.min(rows, sorted.size()))) {
            WatchRates.GroupRate r = rates == null ? null : rates.group(g.group());
            lines.add(String.format(
                    Locale.ROOT,
                    "%-24s %10d %10s %10s %10s  %s",
                    g.group(),
                    g.pending(),
                    InfoCommand.lagText(g.lag()),
                    rate(r == null ? null : r.ackedPerSecond(), false),
                    rate(r == null ? null : r.lagPerSecond(), true),
                    members(g.members())));
        }
        if (sorted.size() > rows) {
            int more = sorted.size() - rows;
            lines.add("... " + more + " more group" + (more == 1 ? "" : "s") + " (name one, or raise --rows)");
        }
        return lines;
    }

    /** A refresh as one JSON object (a line of JSON Lines); rates are null when not known. */
    ObjectNode json(WatchSample now, WatchRates rates) {
        ObjectNode n = Json.object();
        n.put("at", now.at().toString());
        n.put("stream", now.stream().stream().value());
        n.put("length", now.stream().length());
        putRate(n, "appendedPerSecond", rates == null ? Double.NaN : rates.appendedPerSecond());
        ArrayNode a = n.putArray("groups");
        List<GroupInfo> sorted = now.groups().stream().sorted(FURTHEST_BEHIND).toList();
        for (GroupInfo g : sorted.subList(0, Math.min(rows, sorted.size()))) {
            ObjectNode o = GroupsCommand.groupJson(g);
            WatchRates.GroupRate r = rates == null ? null : rates.group(g.group());
            putRate(o, "ackedPerSecond", r == null ? Double.NaN : r.ackedPerSecond());
            putRate(o, "lagPerSecond", r == null ? Double.NaN : r.lagPerSecond());
            a.add(o);
        }
        n.put("moreGroups", Math.max(0, sorted.size() - rows));
        return n;
    }

    private static void putRate(ObjectNode n, String field, double value) {
        if (Double.isNaN(value)) {
            n.putNull(field);
        } else {
            n.put(field, Math.round(value * 10) / 10.0);
        }
    }

    /** {@code -} before there is a rate, {@code ?} when unknown, else one decimal (signed for changes). */
    static String rate(Double value, boolean signed) {
        if (value == null) {
            return "-";
        }
        if (value.isNaN()) {
            return "?";
        }
        return String.format(Locale.ROOT, signed ? "%+.1f" : "%.1f", value);
    }

    static String members(List<String> members) {
        if (members.isEmpty()) {
            return "-";
        }
        String all = String.join(",", members);
        return all.length() <= MEMBERS_WIDTH ? all : all.substring(0, MEMBERS_WIDTH - 3) + "...";
    }

    private static String human(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}

package dev.tributary.spi;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one typed reader of a backend's URI options: durations, integer ranges, booleans, choices,
 * enumerations and file paths. It collects every problem instead of stopping at the first, so a URI
 * with several bad options gets one {@link ErrorKind#CONFIGURATION} error from {@link #check()}
 * naming each of them. A bad value reads as the default, so reading can go on.
 *
 * <pre>{@code
 * OptionReader o = config.optionReader("NATS", KNOWN);
 * Duration ping = o.positiveDuration("pingInterval", Duration.ofSeconds(5));
 * int replicas = (int) o.range("replicas", 1, 1, 5);
 * o.check();   // one error naming every bad option
 * }</pre>
 *
 * Values of options whose names hold secrets ({@link ClientConfig#isSecret}) never appear in messages.
 */
public final class OptionReader {
    private final ClientConfig config;
    private final String backend;
    private final List<String> problems = new ArrayList<>();

    /**
     * @param config  the client configuration
     * @param backend the backend's display name, e.g. {@code "Redis"}
     * @param known   every option the backend understands; any other is reported
     */
    public OptionReader(ClientConfig config, String backend, Collection<String> known) {
        this.config = config;
        this.backend = backend;
        Set<String> sorted = new TreeSet<>(known);
        for (String k : config.options().keySet()) {
            if (!sorted.contains(k)) {
                problems.add("unknown option '" + k + "' (known: " + String.join(", ", sorted) + ")");
            }
        }
    }

    /** The raw value, if given. */
    public Optional<String> string(String name) {
        return config.option(name);
    }

    /** A duration ({@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, milliseconds or ISO-8601) within [min, max]. */
    public Duration duration(String name, Duration dflt, Duration min, Duration max) {
        return valueOr(name, dflt, raw -> {
            Duration d;
            try {
                d = ClientConfig.parseDuration(name, raw);
            } catch (StreamException e) {
                invalid(name, raw, "is not a duration; write e.g. 500ms, 5s, 2m or PT5S");
                return null;
            }
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                invalid(name, raw, "must be " + min + " to " + max);
                return null;
            }
            return d;
        });
    }

    /** A duration above zero. */
    public Duration positiveDuration(String name, Duration dflt) {
        return duration(name, dflt, Duration.ofNanos(1), Duration.ofSeconds(Long.MAX_VALUE));
    }

    /** A duration of zero or more. */
    public Duration nonNegativeDuration(String name, Duration dflt) {
        return duration(name, dflt, Duration.ZERO, Duration.ofSeconds(Long.MAX_VALUE));
    }

    /** An integer within [min, max]. */
    public long range(String name, long dflt, long min, long max) {
        return valueOr(name, dflt, raw -> {
            long n;
            try {
                n = Long.parseLong(raw.trim());
            } catch (NumberFormatException e) {
                invalid(name, raw, "is not an integer");
                return null;
            }
            if (n < min || n > max) {
                problems.add(name + "=" + n + " must be " + min + " to " + max);
                return null;
            }
            return n;
        });
    }

    /** {@code true} or {@code false} (any case); a bare option ({@code ?flag}) is true. */
    public boolean bool(String name, boolean dflt) {
        return valueOr(name, dflt, raw -> {
            String s = raw.trim().toLowerCase(Locale.ROOT);
            if (s.equals("true") || s.isEmpty()) {
                return true;
            }
            if (s.equals("false")) {
                return false;
            }
            invalid(name, raw, "must be true or false");
            return null;
        });
    }

    /** One of {@code allowed} (compared in lower case; the answer is lower case). */
    public String choice(String name, String dflt, String... allowed) {
        return valueOr(name, dflt, raw -> {
            String s = raw.trim().toLowerCase(Locale.ROOT);
            for (String a : allowed) {
                if (a.toLowerCase(Locale.ROOT).equals(s)) {
                    return a.toLowerCase(Locale.ROOT);
                }
            }
            invalid(name, raw, "must be one of " + String.join(", ", allowed));
            return null;
        });
    }

    /** A constant of {@code type}, by name in any case, {@code -} read as {@code _}. */
    public <E extends Enum<E>> E enumeration(String name, Class<E> type, E dflt) {
        return valueOr(name, dflt, raw -> {
            String s = raw.trim().replace('-', '_').toUpperCase(Locale.ROOT);
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(s)) {
                    return e;
                }
            }
            invalid(
                    name,
                    raw,
                    "must be one of "
                            + Arrays.stream(type.getEnumConstants())
                                    .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                                    .collect(Collectors.joining(", ")));
            return null;
        });
    }

    /** A path to a readable regular file, if given. */
    public Optional<Path> readableFile(String name) {
        Optional<String> v = config.option(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        Path p = Path.of(v.get());
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            problems.add(name + "=" + v.get() + " is not a readable file");
            return Optional.empty();
        }
        return Optional.of(p);
    }

    /** Records a problem the backend found itself (for example two options that exclude each other). */
    public void problem(String message) {
        problems.add(message);
    }

    /** The problems found so far. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Throws one {@link ErrorKind#CONFIGURATION} error naming every problem, if there is any. */
    public void check() {
        if (problems.isEmpty()) {
            return;
        }
        String head = problems.size() == 1
                ? "invalid " + backend + " option in " + config.safeUri() + ": "
                : problems.size() + " invalid " + backend + " options in " + config.safeUri() + ": ";
        throw new StreamException(ErrorKind.CONFIGURATION, head + String.join("; ", problems));
    }

    /**
     * {@code dflt} when the option is absent; otherwise what {@code read} makes of its value, or
     * {@code dflt} when {@code read} recorded a problem and returned null.
     */
    private <V> V valueOr(String name, V dflt, Function<String, V> read) {
        Optional<String> v = config.option(name);
        if (v.isEmpty()) {
            return dflt;
        }
        V value = read.apply(v.get());
        return value == null ? dflt : value;
    }

    /** Records that {@code name=raw} (a secret shown as ****) {@code problem}. */
    private void invalid(String name, String raw, String problem) {
        problems.add(name + "=" + shown(name, raw) + " " + problem);
    }

    private static String shown(String name, String value) {
        return ClientConfig.isSecret(name) ? "****" : value;
    }
}

package dev.tributary.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.Capability;
import dev.tributary.EventId;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.cli.CliException;
import dev.tributary.cli.Errors;
import dev.tributary.codec.jackson.JacksonCodec;
import dev.tributary.core.Codec;
import dev.tributary.core.CodecException;
import dev.tributary.core.DeadLetterPolicy;
import dev.tributary.core.ProcessorListener;
import dev.tributary.core.Publisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the demo does, on one stream, with no console in it. The story:
 * <ol>
 *   <li>a {@link DemoProducer} thread publishes realistic {@link DomainEvents} through the stream-core
 *       {@link Publisher} at the chosen rate, in bursts of a tenth of a second's worth;</li>
 *   <li>a {@link LiveTail} follows from the first event; at 35 % its connection is dropped and after
 *       {@code disconnect} it resumes after its checkpoint with a new client;</li>
 *   <li>a {@link DemoGroup} of three members shares the events; from 50 % one of them dies mid-batch and
 *       its events are redelivered to the others after the ack timeout;</li>
 *   <li>at the end a history reader pages through the whole range.</li>
 * </ol>
 * A {@link Ledger} records every publish, broker acknowledgement and delivery; {@link #run} returns what it
 * found as a {@link DemoResult} (lost must be 0). Payloads are JSON through the {@link JacksonCodec}.
 * While it runs the scenario tells a {@link Listener} the steps of the story and, if asked, its progress.
 */
final class DemoScenario {
    static final String GROUP = "demo-workers";
    static final int HISTORY_PAGE = 500;

    /**
     * What the demo runs with.
     *
     * @param events      events to publish
     * @param rate        events per second; 0 for as fast as possible
     * @param payloadSize approximate JSON size of an event in bytes
     * @param ackTimeout  the group's ack timeout: how soon the dead member's events are redelivered
     * @param disconnect  how long the live tail stays disconnected
     * @param stream      the stream to use
     */
    record Settings(int events, int rate, int payloadSize, Duration ackTimeout, Duration disconnect, String stream) {
        Settings {
            if (events < 1) {
                throw new IllegalArgumentException("events must be 1 or more, got " + events);
            }
            if (rate < 0) {
                throw new IllegalArgumentException("rate must be 0 (as fast as possible) or more, got " + rate);
            }
            if (payloadSize < 1) {
                throw new IllegalArgumentException("payloadSize must be 1 or more, got " + payloadSize);
            }
            Objects.requireNonNull(ackTimeout, "ackTimeout");
            Objects.requireNonNull(disconnect, "disconnect");
            Objects.requireNonNull(stream, "stream");
        }
    }

    /** What the scenario tells while it runs. Called from several threads; every method has a default. */
    interface Listener {
        /** How often {@link #progress} is wanted while events flow; zero for never. */
        default Duration progressInterval() {
            return Duration.ZERO;
        }

        /** A step of the story happened, {@code elapsedSeconds} after the scenario started. */
        default void narrate(double elapsedSeconds, String text) {}

        /** Where the run stands, every {@link #progressInterval()} and once when the events have settled. */
        default void progress(DemoProgress progress) {}
    }

    private final Settings settings;
    private final StreamClient client;
    private final Listener listener;
    private final StreamName stream;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Codec<JsonNode> codec = JacksonCodec.of(mapper, JsonNode.class);
    private final Ledger ledger;
    private final long startNanos = System.nanoTime();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final LiveTail tail;
    private final DemoGroup group;

    private DemoProducer producer;
    private int historyPages;
    private long historyOutOfOrder;

    /**
     * @param client    the client of the producer, the history reader and the group's set-up
     * @param clients   opens a client for each consumer; all must reach the same streams as {@code client}
     * @param listener  told the story and the progress
     * @throws CliException (usage) when the backend has no consumer groups
     */
    DemoScenario(Settings settings, StreamClient client, Supplier<StreamClient> clients, Listener listener) {
        this(settings, client, clients, listener, new ProcessorListener() {});
    }

    /**
     * As {@link #DemoScenario(Settings, StreamClient, Supplier, Listener)}, with {@code processors}
     * listening to the tail's and the group members' processors (the meters of {@code --metrics-port}).
     */
    DemoScenario(
            Settings settings,
            StreamClient client,
            Supplier<StreamClient> clients,
            Listener listener,
            ProcessorListener processors) {
        if (!client.supports(Capability.CONSUMER_GROUPS)) {
            throw CliException.usage(
                    "the demo needs consumer groups, which backend '" + client.backend() + "' does not declare");
        }
        this.settings = settings;
        this.client = client;
        this.listener = listener;
        this.stream = StreamName.of(settings.stream());
        this.ledger = new Ledger(settings.events());
        ConsumerSetup consumers =
                new ConsumerSetup(clients, stream, codec, ledger, this::narrate, problems::add, processors);
        this.tail = new LiveTail(consumers);
        this.group = new DemoGroup(consumers, settings.ackTimeout());
    }

    StreamName stream() {
        return stream;
    }

    /**
     * Runs the whole story, once, and stops every consumer. {@code stopRequested} (Ctrl-C) stops publishing;
     * what was published is still drained, for a bounded time, and read back.
     */
    DemoResult run(BooleanSupplier stopRequested) throws InterruptedException {
        try {
            client.createStream(stream);
            client.createGroup(stream, GROUP, new GroupOptions(Position.earliest(), settings.ackTimeout()));
            tail.start();
            group.start();
            Publisher<JsonNode> publisher = Publisher.builder(client, stream, codec)
                    .maxInFlight(1000)
                    .whenFull(Duration.ofSeconds(30))
                    .build();
            producer = new DemoProducer(
                    publisher, mapper, ledger, settings.events(), settings.rate(), settings.payloadSize());
            Thread thread = new Thread(producer, "demo-producer");
            thread.setDaemon(true);
            thread.start();
            monitor(thread, stopRequested);
            producer.stop();
            thread.join(Duration.ofSeconds(90).toMillis());
            publisher.close();
            readHistory(stopRequested);
        } finally {
            tail.stop();
            group.stop();
            tail.close();
            group.close();
        }
        return result(stopRequested.getAsBoolean());
    }

    /** Deletes the stream and its dead-letter stream. */
    void deleteStreams() {
        client.deleteStream(stream);
        client.deleteStream(DeadLetterPolicy.defaultName(stream));
    }

    /**
     * Drives the story while the producer runs (disconnect and reconnect of the tail, arming the crash),
     * reports progress, then waits until every acknowledged event reached the tail and the group, or a
     * drain deadline passes.
     */
    private void monitor(Thread producerThread, BooleanSupplier stopRequested) throws InterruptedException {
        int n = settings.events();
        long progressNanos = listener.progressInterval().toNanos();
        long lastProgress = 0;
        long drainDeadline = Long.MAX_VALUE;
        boolean crashScheduled = false;
        while (true) {
            if (stopRequested.getAsBoolean() && !producer.stopped()) {
                producer.stop();
                narrate("Ctrl-C: publishing stops; draining for up to 5 s");
                drainDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            }
            long published = ledger.published();
            if (!tail.wasDisconnected() && published >= n * 35L / 100) {
                tail.disconnect();
            }
            if (tail.reconnectDue(settings.disconnect())) {
                tail.reconnect();
            }
            if (!crashScheduled && published >= n / 2) {
                crashScheduled = true; // armed once: exactly one member dies
                group.armCrash();
            }
            long now = System.nanoTime();
            if (progressNanos > 0 && now - lastProgress >= progressNanos) {
                lastProgress = now;
                listener.progress(progress());
            }
            if (!producerThread.isAlive()) {
                if (drainDeadline == Long.MAX_VALUE) {
                    // generous: redelivery needs the ack timeout, and Kafka may rebalance on top of it
                    drainDeadline = now
                            + settings.ackTimeout()
                                    .multipliedBy(3)
                                    .plusSeconds(30)
                                    .toNanos();
                }
                boolean settled = ledger.acked() + ledger.failedAppends() >= ledger.published();
                if (settled && !tail.down() && ledger.tailMissing() == 0 && ledger.groupMissing() == 0) {
                    break;
                }
                if (now > drainDeadline) {
                    narrate("stopped waiting for deliveries (drain deadline)");
                    break;
                }
            }
            Thread.sleep(50);
        }
        if (progressNanos > 0) {
            listener.progress(progress());
        }
    }

    private DemoProgress progress() {
        long lag = -1;
        long pending = 0;
        Optional<String> lagProblem = Optional.empty();
        try {
            GroupInfo g = client.groupInfo(stream, GROUP);
            lag = g.lag();
            pending = g.pending();
        } catch (RuntimeException e) {
            lagProblem = Optional.of(e.getClass().getSimpleName());
        }
        return new DemoProgress(
                elapsedSeconds(),
                settings.events(),
                ledger.published(),
                ledger.acked(),
                ledger.tailDeliveries(),
                tail.down(),
                group.members(),
                ledger.groupDeliveries(),
                lag,
                pending,
                lagProblem);
    }

    private void readHistory(BooleanSupplier stopRequested) {
        Position from = Position.earliest();
        EventId previous = null;
        long read = 0;
        // after Ctrl-C the reader still pages everything (so the report is complete), within a bound
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!stopRequested.getAsBoolean() || System.nanoTime() < deadline) {
            List<StreamEvent> page = client.range(stream, from, null, HISTORY_PAGE);
            if (page.isEmpty()) {
                break;
            }
            historyPages++;
            for (StreamEvent e : page) {
                if (previous != null && !e.id().isAfter(previous)) {
                    historyOutOfOrder++;
                }
                previous = e.id();
                ledger.history(seqOf(e.payload()));
            }
            read += page.size();
            from = Position.after(page.get(page.size() - 1).id());
        }
        narrate("history reader paged the whole range: " + String.format(Locale.ROOT, "%,d", read) + " events in "
                + historyPages + " pages of up to " + HISTORY_PAGE);
    }

    private DemoResult result(boolean interrupted) {
        long produced =
                producer == null || producer.finishedNanos() == 0 ? System.nanoTime() : producer.finishedNanos();
        DemoResult.Appends appends = new DemoResult.Appends(
                settings.events(),
                ledger.published(),
                ledger.acked(),
                ledger.failedAppends(),
                Duration.ofNanos(produced - startNanos));
        DemoResult.History history =
                new DemoResult.History(ledger.historyDeliveries(), historyPages, historyOutOfOrder);
        DemoResult.Checks checks = new DemoResult.Checks(
                ledger.lost(),
                ledger.tailMissing(),
                ledger.groupMissing(),
                ledger.historyMissing(),
                ledger.tailDuplicates(),
                ledger.groupDuplicates(),
                ledger.historyDuplicates(),
                ledger.unknownDeliveries(),
                ledger.deliveredButFailed());
        List<String> notes = new ArrayList<>(group.unexpectedFailures());
        notes.addAll(problems);
        return new DemoResult(
                appends,
                tail.result(),
                group.result(),
                history,
                checks,
                DemoResult.Latency.of(ledger.groupLatency()),
                DemoResult.Latency.of(ledger.tailLatency()),
                Duration.ofNanos(System.nanoTime() - startNanos),
                group.death(),
                notes,
                producer == null ? Optional.empty() : producer.failure().map(Errors::message),
                interrupted);
    }

    private void narrate(String text) {
        listener.narrate(elapsedSeconds(), text);
    }

    private double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private int seqOf(byte[] payload) {
        try {
            return DomainEvents.seqOf(codec.decode(payload));
        } catch (CodecException e) {
            return -1;
        }
    }

    /** Closes {@code c} if there is one; a failure to close is a problem, not an error of the run. */
    static void closeQuietly(StreamClient c, String what, Consumer<String> problems) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (RuntimeException e) {
            problems.accept(what + ": " + Errors.message(e));
        }
    }

    /** A duration as people write it: {@code 3 s}, {@code 1500 ms}. */
    static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}

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
import dev.tributary.cli.command.SignalGuard;
import dev.tributary.core.CheckpointStore;
import dev.tributary.core.DeadLetterPolicy;
import dev.tributary.core.GroupProcessor;
import dev.tributary.core.InMemoryCheckpointStore;
import dev.tributary.core.Message;
import dev.tributary.core.ProcessorState;
import dev.tributary.core.Publisher;
import dev.tributary.core.RetryPolicy;
import dev.tributary.core.TailProcessor;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * One demo run. The story, on one stream:
 * <ol>
 *   <li>a producer thread publishes realistic domain events through the stream-core
 *       {@link Publisher} at the chosen rate, in bursts of a tenth of a second's worth;</li>
 *   <li>a live tail ({@link TailProcessor} with a {@link CheckpointStore}) follows from the first
 *       event; at 35 % its connection is dropped (processor stopped, client closed) and after
 *       {@code disconnect} a new client and processor with the same name resume after the
 *       checkpoint;</li>
 *   <li>a consumer group of three {@link GroupProcessor} members, each with its own client, shares
 *       the events; from 50 % the first member to receive a batch of several events dies in the
 *       middle of it (its client is closed before it acks), so the events it held are redelivered
 *       to the others after the ack timeout (on a partitioned backend such as Kafka with one
 *       partition, only one member receives at a time: that one dies and another takes over);</li>
 *   <li>at the end a history reader pages through the whole range.</li>
 * </ol>
 * A {@link Ledger} records every publish, broker acknowledgement and delivery; the report says
 * what was appended, delivered per consumer, lost (must be 0), duplicated, the end-to-end latency
 * and the wall time.
 */
final class DemoRun {
    static final String GROUP = "demo-workers";
    static final String TAIL_NAME = "demo-live-tail";
    private static final int HISTORY_PAGE = 500;

    /** What the command line chose. */
    record Settings(int events, int rate, int payloadSize, Duration ackTimeout, Duration disconnect, String stream,
            boolean deleteAtEnd, boolean progress, boolean terminal) {
    }

    private final Settings settings;
    private final StreamClient client;
    private final Supplier<StreamClient> clients;
    private final String safeUri;
    private final PrintWriter out;
    private final PrintWriter err;
    private final ObjectMapper mapper = new ObjectMapper();
    private final JsonCodec codec = new JsonCodec(mapper);
    private final StreamName stream;
    private final Ledger ledger;
    private final long startNanos = System.nanoTime();
    private final CheckpointStore checkpoints = new InMemoryCheckpointStore();
    private final AtomicBoolean stopProducing = new AtomicBoolean();
    private final AtomicBoolean crashArmed = new AtomicBoolean();
    private volatile long armedAt;
    private final AtomicBoolean firstRedelivery = new AtomicBoolean(true);
    private final AtomicReference<String> death = new AtomicReference<>();
    private final List<String> closeProblems = new ArrayList<>();
    private final Member[] members = new Member[Ledger.MEMBERS];

    private volatile StreamClient tailClient;
    private volatile TailProcessor<JsonNode> tail;
    private volatile Throwable producerFailure;
    private volatile long producedNanos;
    private String disconnectedAfter = "-";
    private long tailDisconnectedAt;
    private boolean tailReconnected;
    private boolean crashScheduled;
    private int historyPages;
    private long historyOutOfOrder;
    private boolean progressDrawn;

    /** One group member with its own client (its own connection, as a separate process would have). */
    private static final class Member {
        final int index;
        final String name;
        volatile StreamClient client;
        volatile GroupProcessor<JsonNode> processor;
        volatile boolean dead;

        Member(int index) {
            this.index = index;
            this.name = "member-" + (index + 1);
        }
    }

    DemoRun(Settings settings, StreamClient client, Supplier<StreamClient> clients, String safeUri, PrintWriter out,
            PrintWriter err) {
        this.settings = settings;
        this.client = client;
        this.clients = clients;
        this.safeUri = safeUri;
        this.out = out;
        this.err = err;
        this.stream = StreamName.of(settings.stream());
        this.ledger = new Ledger(settings.events());
    }

    int run(SignalGuard guard) throws InterruptedException {
        if (!client.supports(Capability.CONSUMER_GROUPS)) {
            throw CliException.usage("the demo needs consumer groups, which backend '" + client.backend()
                    + "' does not declare");
        }
        out.printf(Locale.ROOT, "Tributary demo on %s (backend %s), stream %s%n", safeUri, client.backend(), stream);
        out.printf(Locale.ROOT, "  %,d domain events of about %,d bytes, %s; group %s of 3 members, ack timeout %s%n",
                settings.events(), settings.payloadSize(),
                settings.rate() == 0 ? "as fast as possible" : "at " + settings.rate() + "/s", GROUP,
                human(settings.ackTimeout()));
        out.println("  producer: stream-core Publisher; live tail: TailProcessor with a checkpoint store;");
        out.println("  group: 3 GroupProcessors, one client each; history: StreamClient.range, page by page");
        out.println();
        out.flush();
        boolean interrupted;
        try {
            client.createStream(stream);
            client.createGroup(stream, GROUP, new GroupOptions(Position.earliest(), settings.ackTimeout()));
            startTail();
            for (int i = 0; i < members.length; i++) {
                members[i] = new Member(i);
                startMember(members[i]);
            }
            Publisher<JsonNode> publisher = Publisher.builder(client, stream, codec).maxInFlight(1000)
                    .whenFull(Duration.ofSeconds(30)).build();
            Thread producer = new Thread(() -> produce(publisher), "demo-producer");
            producer.setDaemon(true);
            producer.start();
            monitor(producer, guard);
            stopProducing.set(true);
            join(producer);
            publisher.close();
            readHistory(guard);
        } finally {
            clearProgress();
            shutdown();
        }
        interrupted = guard.stopRequested();
        report(interrupted);
        if (settings.deleteAtEnd()) {
            cleanup();
        }
        long lost = ledger.lost();
        if (producerFailure != null) {
            throw CliException.runtime("demo publishing failed: " + Errors.message(producerFailure));
        }
        if (interrupted) {
            return Errors.INTERRUPTED;
        }
        if (lost > 0 || ledger.deliveredButFailed() > 0 || historyOutOfOrder > 0) {
            throw CliException.runtime("demo FAILED: " + lost + " acknowledged events lost, "
                    + ledger.deliveredButFailed() + " failed appends delivered, " + historyOutOfOrder
                    + " history events out of order");
        }
        return 0;
    }

    // ---------------------------------------------------------------- producer

    /**
     * Publishes at the chosen rate in bursts of a tenth of a second's worth (business events come in
     * bursts: a merge or an import touches several entities at once), so consumers see real batches.
     */
    private void produce(Publisher<JsonNode> publisher) {
        DomainEvents gen = new DomainEvents(mapper, 42, settings.payloadSize(), 500);
        int burst = settings.rate() == 0 ? Integer.MAX_VALUE : Math.max(1, settings.rate() / 10);
        long burstNanos = settings.rate() == 0 ? 0 : burst * 1_000_000_000L / settings.rate();
        long next = System.nanoTime();
        try {
            for (int seq = 0; seq < settings.events() && !stopProducing.get(); seq++) {
                if (burstNanos > 0 && seq % burst == 0) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    next += burstNanos;
                }
                DomainEvents.Event e = gen.next(seq);
                final int s = seq;
                ledger.published(s);
                publisher.publish(e.body(), e.key(), e.headers()).whenComplete((id, error) -> {
                    if (error == null) {
                        ledger.acked(s);
                    } else {
                        ledger.failed(s);
                    }
                });
            }
            publisher.flush(Duration.ofSeconds(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            producerFailure = e;
        } finally {
            producedNanos = System.nanoTime();
        }
    }

    // ---------------------------------------------------------------- live tail

    private void startTail() {
        tailClient = clients.get();
        tail = TailProcessor.builder(tailClient, stream, codec).name(TAIL_NAME).checkpointStore(checkpoints)
                .startFrom(Position.earliest()).batchSize(200).lagInterval(Duration.ZERO)
                .handler(this::onTail).build();
        tail.start();
    }

    private void onTail(Message<JsonNode> m) {
        ledger.tail(seqOf(m));
    }

    private void disconnectTail() {
        TailProcessor<JsonNode> t = tail;
        t.stop(Duration.ofSeconds(10));
        closeQuietly(tailClient, "tail client");
        disconnectedAfter = t.checkpoint().map(EventId::toString).orElse("(nothing yet)");
        tailDisconnectedAt = System.nanoTime();
        narrate("live tail disconnected (its client closed) at checkpoint " + disconnectedAfter
                + "; the producer keeps going");
    }

    private void reconnectTail() {
        startTail();
        tailReconnected = true;
        narrate("live tail reconnected with a new client; resuming after checkpoint " + disconnectedAfter);
    }

    // ---------------------------------------------------------------- group

    private void startMember(Member m) {
        m.client = clients.get();
        GroupProcessor.Builder<JsonNode> b = GroupProcessor.builder(m.client, stream, GROUP, codec)
                .name("demo-" + m.name).member(m.name).batchSize(100).lagInterval(Duration.ZERO)
                .groupOptions(new GroupOptions(Position.earliest(), settings.ackTimeout()))
                .batchHandler(batch -> onGroupBatch(m, batch));
        // The demo's handler fails only by the simulated crash, which is not an error to retry: the
        // member is gone. Without retries or dead letters its processor stops as FAILED at once.
        b.retry(RetryPolicy.noRetry()).deadLetters(DeadLetterPolicy.failProcessor());
        m.processor = b.build();
        m.processor.start();
    }

    private void onGroupBatch(Member m, List<Message<JsonNode>> batch) {
        if (m.dead) {
            throw new IllegalStateException(m.name + " is dead");
        }
        boolean crash = crashArmed.get()
                && (batch.size() >= 4 || (batch.size() >= 2 && System.nanoTime() - armedAt > 2_000_000_000L))
                && crashArmed.compareAndSet(true, false);
        int handle = crash ? batch.size() / 2 : batch.size();
        for (int i = 0; i < handle; i++) {
            Message<JsonNode> msg = batch.get(i);
            if (msg.deliveryCount() > 1 && firstRedelivery.compareAndSet(true, false)) {
                narrate(m.name + " received events redelivered after the ack timeout (delivery count "
                        + msg.deliveryCount() + "), first " + msg.id());
            }
            ledger.group(m.index, seqOf(msg), msg.deliveryCount());
        }
        if (crash) {
            m.dead = true;
            death.set(m.name + " died mid-batch: handled " + handle + " of " + batch.size() + " events ("
                    + batch.get(0).id() + " to " + batch.get(batch.size() - 1).id() + "), acked none");
            narrate(death.get() + "; they are redelivered to the others after " + human(settings.ackTimeout()));
            closeQuietly(m.client, m.name + " client");
            throw new IllegalStateException(m.name + " crashed (simulated)");
        }
    }

    // ---------------------------------------------------------------- monitor

    private void monitor(Thread producer, SignalGuard guard) throws InterruptedException {
        int n = settings.events();
        long lastProgress = 0;
        long drainDeadline = Long.MAX_VALUE;
        Progress progress = new Progress();
        while (true) {
            if (guard.stopRequested() && !stopProducing.get()) {
                stopProducing.set(true);
                narrate("Ctrl-C: publishing stops; draining for up to 5 s");
                drainDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            }
            long published = ledger.published();
            if (tailDisconnectedAt == 0 && published >= n * 35L / 100) {
                disconnectTail();
            }
            if (tailDisconnectedAt != 0 && !tailReconnected
                    && System.nanoTime() - tailDisconnectedAt >= settings.disconnect().toNanos()) {
                reconnectTail();
            }
            if (!crashScheduled && published >= n / 2) {
                // armed once: exactly one member dies (the first to take a batch of several events)
                crashScheduled = true;
                armedAt = System.nanoTime();
                crashArmed.set(true);
            }
            long now = System.nanoTime();
            if (settings.progress() && now - lastProgress >= (settings.terminal() ? 500_000_000L : 2_000_000_000L)) {
                lastProgress = now;
                drawProgress(progress);
            }
            if (!producer.isAlive()) {
                if (drainDeadline == Long.MAX_VALUE) {
                    // generous: redelivery needs the ack timeout, and Kafka may rebalance on top of it
                    drainDeadline = now + settings.ackTimeout().multipliedBy(3).plusSeconds(30).toNanos();
                }
                boolean settled = ledger.acked() + ledger.failedAppends() >= ledger.published();
                boolean tailBack = tailDisconnectedAt == 0 || tailReconnected;
                if (settled && tailBack && ledger.tailMissing() == 0 && ledger.groupMissing() == 0) {
                    break;
                }
                if (now > drainDeadline) {
                    narrate("stopped waiting for deliveries (drain deadline)");
                    break;
                }
            }
            Thread.sleep(50);
        }
        if (settings.progress()) {
            drawProgress(progress);
        }
    }

    /** Rates between two progress lines. */
    private static final class Progress {
        long nanos = System.nanoTime();
        long published;
        long group;
    }

    private void drawProgress(Progress p) {
        long now = System.nanoTime();
        double secs = Math.max(1e-3, (now - p.nanos) / 1e9);
        long published = ledger.published();
        long group = ledger.groupDeliveries();
        double pubRate = (published - p.published) / secs;
        double groupRate = (group - p.group) / secs;
        p.nanos = now;
        p.published = published;
        p.group = group;
        String lagPending = "";
        try {
            GroupInfo g = client.groupInfo(stream, GROUP);
            lagPending = String.format(Locale.ROOT, " | lag %s pending %d", g.lag() < 0 ? "?" : Long.toString(g.lag()),
                    g.pending());
        } catch (RuntimeException e) {
            lagPending = " | lag ? (" + e.getClass().getSimpleName() + ")";
        }
        StringBuilder m = new StringBuilder();
        for (Member member : members) {
            if (member != null) {
                m.append(' ').append(member.name.replace("member-", "m")).append(' ')
                        .append(ledger.memberDeliveries(member.index)).append(member.dead ? " (dead)" : "");
            }
        }
        String line = String.format(Locale.ROOT, "%6.1fs appended %,d/%,d (%,.0f/s) | tail %,d%s |%s (%,.0f/s)%s",
                elapsedSeconds(), ledger.acked(), settings.events(), pubRate, ledger.tailDeliveries(),
                tailDisconnectedAt != 0 && !tailReconnected ? " (disconnected)" : "", m, groupRate, lagPending);
        synchronized (this) {
            if (settings.terminal()) {
                err.print("\r" + line + "\u001b[K");
                progressDrawn = true;
            } else {
                err.println(line);
            }
            err.flush();
        }
    }

    private synchronized void clearProgress() {
        if (progressDrawn) {
            err.print("\r\u001b[K");
            err.flush();
            progressDrawn = false;
        }
    }

    private synchronized void narrate(String text) {
        if (progressDrawn) {
            err.print("\r\u001b[K");
            err.flush();
            progressDrawn = false;
        }
        out.printf(Locale.ROOT, "  %6.1fs  %s%n", elapsedSeconds(), text);
        out.flush();
    }

    // ---------------------------------------------------------------- history

    private void readHistory(SignalGuard guard) {
        Position from = Position.earliest();
        EventId previous = null;
        long read = 0;
        // after Ctrl-C the reader still pages everything (so the report is complete), within a bound
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!guard.stopRequested() || System.nanoTime() < deadline) {
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

    // ---------------------------------------------------------------- end

    private void shutdown() {
        TailProcessor<JsonNode> t = tail;
        if (t != null && !t.stop(Duration.ofSeconds(10))) {
            closeProblems.add("the live tail did not stop within 10 s");
        }
        for (Member m : members) {
            if (m != null && m.processor != null && !m.processor.stop(Duration.ofSeconds(10))) {
                closeProblems.add(m.name + " did not stop within 10 s");
            }
        }
        closeQuietly(tailClient, "tail client");
        for (Member m : members) {
            if (m != null) {
                closeQuietly(m.client, m.name + " client");
            }
        }
    }

    private void cleanup() {
        try {
            client.deleteStream(stream);
            client.deleteStream(DeadLetterPolicy.defaultName(stream));
        } catch (RuntimeException e) {
            err.println("tributary: could not delete demo stream " + stream + ": " + Errors.message(e));
        }
    }

    private void closeQuietly(StreamClient c, String what) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (RuntimeException e) {
            closeProblems.add(what + ": " + Errors.message(e));
        }
    }

    private void report(boolean interrupted) {
        double wall = elapsedSeconds();
        long acked = ledger.acked();
        double produceSecs = Math.max(1e-3, ((producedNanos == 0 ? System.nanoTime() : producedNanos) - startNanos) / 1e9);
        long lost = ledger.lost();
        out.println();
        out.println("Report" + (interrupted ? " (interrupted by Ctrl-C)" : ""));
        out.printf(Locale.ROOT, "  appended       %,d of %,d published (%,.0f/s), %,d failed%n", acked, ledger.published(),
                acked / produceSecs, ledger.failedAppends());
        out.printf(Locale.ROOT, "  delivered      live tail %,d (%s)%n", ledger.tailDeliveries(),
                tailDisconnectedAt == 0 ? "never disconnected" : "disconnected at " + disconnectedAfter
                        + (tailReconnected ? ", resumed from its checkpoint" : ", not reconnected"));
        StringBuilder per = new StringBuilder();
        for (Member m : members) {
            if (m != null) {
                per.append(per.length() == 0 ? "" : ", ").append(m.name).append(' ')
                        .append(String.format(Locale.ROOT, "%,d", ledger.memberDeliveries(m.index)))
                        .append(m.dead ? " (died)" : "");
            }
        }
        out.printf(Locale.ROOT, "                 group %s %,d: %s; %,d redelivered%n", GROUP, ledger.groupDeliveries(),
                per, ledger.redelivered());
        out.printf(Locale.ROOT, "                 history reader %,d in %d pages%n", ledger.historyDeliveries(), historyPages);
        out.printf(Locale.ROOT, "  lost           %,d%s%n", lost, lost == 0 ? ""
                : String.format(Locale.ROOT, " (tail missed %,d, group missed %,d, history missed %,d)",
                        ledger.tailMissing(), ledger.groupMissing(), ledger.historyMissing()));
        long dups = ledger.tailDuplicates() + ledger.groupDuplicates() + ledger.historyDuplicates();
        out.printf(Locale.ROOT, "  duplicates     %,d (tail %,d, group %,d, history %,d)%s%n", dups, ledger.tailDuplicates(),
                ledger.groupDuplicates(), ledger.historyDuplicates(),
                ledger.groupDuplicates() > 0 ? " - events the dead member handled but never acked: at-least-once" : "");
        if (ledger.tailOutOfOrder() > 0 || historyOutOfOrder > 0 || ledger.unknownDeliveries() > 0) {
            out.printf(Locale.ROOT, "  order          tail %,d out of order, history %,d out of order, %,d unknown events%n",
                    ledger.tailOutOfOrder(), historyOutOfOrder, ledger.unknownDeliveries());
        }
        out.printf(Locale.ROOT, "  latency        append to group handler p50 %s  p99 %s  max %s%n",
                ms(ledger.groupLatency(), 50), ms(ledger.groupLatency(), 99), max(ledger.groupLatency()));
        out.printf(Locale.ROOT, "                 append to live tail     p50 %s  p99 %s  max %s (includes the disconnect)%n",
                ms(ledger.tailLatency(), 50), ms(ledger.tailLatency(), 99), max(ledger.tailLatency()));
        out.printf(Locale.ROOT, "  wall time      %.1f s%n", wall);
        Optional.ofNullable(death.get()).ifPresentOrElse(d -> out.println("  crash          " + d),
                () -> out.println("  crash          no member got a batch of several events after the halfway mark, "
                        + "so none died"));
        for (Member m : members) {
            if (m != null && m.processor != null && m.processor.state() == ProcessorState.FAILED && !m.dead) {
                out.println("  note           " + m.name + " failed: "
                        + m.processor.failure().map(Errors::message).orElse("?"));
            }
        }
        for (String p : closeProblems) {
            out.println("  note           " + p);
        }
        out.println();
        out.println(lost == 0 && !interrupted ? "RESULT: OK - every acknowledged event reached the live tail, the group "
                + "and the history reader (lost 0)" : "RESULT: " + (interrupted ? "INTERRUPTED" : "FAILED") + " - lost "
                + lost);
        out.flush();
    }

    // ---------------------------------------------------------------- helpers

    private double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private int seqOf(Message<JsonNode> m) {
        JsonNode id = m.value() == null ? null : m.value().get("eventId");
        return DomainEvents.seqOf(id == null ? null : id.asText());
    }

    private int seqOf(byte[] payload) {
        try {
            JsonNode id = codec.decode(payload).get("eventId");
            return DomainEvents.seqOf(id == null ? null : id.asText());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static String ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.1f ms", h.getValueAtPercentile(percentile) / 1000.0);
    }

    private static String max(Histogram h) {
        return h.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.1f ms", h.getMaxValue() / 1000.0);
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static void join(Thread t) throws InterruptedException {
        t.join(Duration.ofSeconds(90).toMillis());
    }
}

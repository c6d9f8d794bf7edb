package dev.tributary.cli.demo;

import dev.tributary.StreamClient;
import dev.tributary.cli.CliException;
import dev.tributary.cli.Errors;
import dev.tributary.cli.command.SignalGuard;
import dev.tributary.core.ProcessorListener;
import java.util.function.Supplier;

/**
 * One {@code tributary demo}: runs the {@link DemoScenario} with a {@link ConsoleView} listening, prints
 * the report, deletes the demo's streams when asked and turns the result into the exit code: 0 when
 * nothing was lost, {@link Errors#INTERRUPTED} after Ctrl-C, and a runtime error (exit 1) when publishing
 * failed or an acknowledged event was lost.
 */
final class DemoRun {
    private final DemoScenario.Settings settings;
    private final boolean deleteAtEnd;
    private final StreamClient client;
    private final Supplier<StreamClient> clients;
    private final String safeUri;
    private final ConsoleView view;
    private final ProcessorListener processors;

    /**
     * @param deleteAtEnd whether to delete the stream and its dead-letter stream after the report
     * @param clients     opens a client for each consumer of the demo
     * @param safeUri     the backend URI without secrets, for the header
     * @param processors  listens to the demo's processors (meters, when the demo serves them)
     */
    DemoRun(
            DemoScenario.Settings settings,
            boolean deleteAtEnd,
            StreamClient client,
            Supplier<StreamClient> clients,
            String safeUri,
            ConsoleView view,
            ProcessorListener processors) {
        this.processors = processors;
        this.settings = settings;
        this.deleteAtEnd = deleteAtEnd;
        this.client = client;
        this.clients = clients;
        this.safeUri = safeUri;
        this.view = view;
    }

    int run(SignalGuard guard) throws InterruptedException {
        DemoScenario scenario = new DemoScenario(settings, client, clients, view, processors);
        view.header(safeUri, client.backend(), settings);
        DemoResult result;
        try {
            result = scenario.run(guard::stopRequested);
        } finally {
            view.clearProgress();
        }
        view.report(result);
        if (deleteAtEnd) {
            try {
                scenario.deleteStreams();
            } catch (RuntimeException e) {
                view.couldNotDelete(scenario.stream(), e);
            }
        }
        return exitCode(result);
    }

    /** The exit code of a run that ended with {@code r}; throws the error that a failed run ends with. */
    static int exitCode(DemoResult r) {
        if (r.producerFailure().isPresent()) {
            throw CliException.runtime(
                    "demo publishing failed: " + r.producerFailure().get());
        }
        if (r.interrupted()) {
            return Errors.INTERRUPTED;
        }
        if (!r.passed()) {
            throw CliException.runtime("demo FAILED: " + r.checks().lost() + " acknowledged events lost, "
                    + r.checks().deliveredButFailed() + " failed appends delivered, "
                    + r.history().outOfOrder()
                    + " history events out of order");
        }
        return 0;
    }
}

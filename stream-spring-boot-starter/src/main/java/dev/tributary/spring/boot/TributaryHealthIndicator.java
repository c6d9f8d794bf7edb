package dev.tributary.spring.boot;

import dev.tributary.GroupInfo;
import dev.tributary.Health;
import dev.tributary.StreamClient;
import dev.tributary.core.GroupProcessor;
import dev.tributary.core.Processor;
import dev.tributary.core.ProcessorState;
import dev.tributary.core.TailProcessor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Health "tributary": UP when the broker answers {@link StreamClient#health()} and no processor bean
 * is {@code FAILED}; DOWN otherwise. Details: backend, latency, the backend's detail, and per
 * processor its state, stream, group and (when {@code tributary.health.lag} is on) the group's lag
 * and pending count. A check of the lag that fails shows {@code "unknown"}; it never fails the check.
 */
public final class TributaryHealthIndicator implements HealthIndicator {
    private final StreamClient client;
    private final ObjectProvider<Processor> processors;
    private final boolean lag;

    /** Health of {@code client} and of every processor bean; with {@code lag}, group lag in the details. */
    public TributaryHealthIndicator(StreamClient client, ObjectProvider<Processor> processors, boolean lag) {
        this.client = Objects.requireNonNull(client, "client");
        this.processors = Objects.requireNonNull(processors, "processors");
        this.lag = lag;
    }

    @Override
    public org.springframework.boot.health.contributor.Health health() {
        var builder = new org.springframework.boot.health.contributor.Health.Builder();
        Health h;
        try {
            h = client.health();
        } catch (RuntimeException e) {
            return builder.down(e).withDetail("backend", client.backend()).build();
        }
        boolean up = h.up();
        builder.withDetail("backend", client.backend())
                .withDetail("latencyMs", h.latency() == null ? -1 : h.latency().toMillis())
                .withDetail("detail", String.valueOf(h.detail()));
        Map<String, Object> details = new LinkedHashMap<>();
        for (Processor p : processors.orderedStream().toList()) {
            details.put(p.name(), describe(p));
            up &= p.state() != ProcessorState.FAILED;
        }
        if (!details.isEmpty()) {
            builder.withDetail("processors", details);
        }
        return builder.status(up ? Status.UP : Status.DOWN).build();
    }

    private Map<String, Object> describe(Processor p) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("state", p.state().name());
        p.failure().ifPresent(f -> d.put("failure", f.toString()));
        if (p instanceof TailProcessor<?> t) {
            d.put("stream", t.stream().toString());
        } else if (p instanceof GroupProcessor<?> g) {
            d.put("stream", g.stream().toString());
            d.put("group", g.group());
            if (lag) {
                try {
                    GroupInfo info = client.groupInfo(g.stream(), g.group());
                    d.put("lag", info.lag());
                    d.put("pending", info.pending());
                } catch (RuntimeException e) {
                    d.put("lag", "unknown");
                }
            }
        }
        return d;
    }
}

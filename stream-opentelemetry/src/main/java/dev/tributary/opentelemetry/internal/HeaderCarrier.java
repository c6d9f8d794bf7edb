package dev.tributary.opentelemetry.internal;

import dev.tributary.Header;
import dev.tributary.Headers;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.LinkedHashSet;
import java.util.Set;

/** Reads propagation fields from record headers (the first value of a repeated key). */
public enum HeaderCarrier implements TextMapGetter<Headers> {
    INSTANCE;

    @Override
    @SuppressWarnings("deprecation") // still abstract in TextMapGetter: every getter must implement it
    public Iterable<String> keys(Headers carrier) {
        Set<String> keys = new LinkedHashSet<>();
        for (Header h : carrier) {
            keys.add(h.key());
        }
        return keys;
    }

    @Override
    public String get(Headers carrier, String key) {
        return carrier == null ? null : carrier.first(key).orElse(null);
    }
}

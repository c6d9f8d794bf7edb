package dev.tributary.tck.processor;

import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import java.time.Duration;
import java.util.List;

/** Forwards to a real reader. */
class ForwardingReader implements StreamReader {
    protected final StreamReader delegate;

    ForwardingReader(StreamReader delegate) {
        this.delegate = delegate;
    }

    @Override
    public StreamName stream() {
        return delegate.stream();
    }

    @Override
    public List<StreamEvent> poll(int maxCount, Duration wait) {
        return delegate.poll(maxCount, wait);
    }

    @Override
    public Position position() {
        return delegate.position();
    }

    @Override
    public void close() {
        delegate.close();
    }
}

package dev.tributary.spi;

import dev.tributary.Cursor;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** A {@link StreamReader} that forwards every call to a delegate; subclasses change what they need. */
public class ForwardingStreamReader implements StreamReader {
    private final StreamReader delegate;

    /** A reader that forwards every call to {@code delegate}. */
    public ForwardingStreamReader(StreamReader delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The wrapped reader. */
    protected StreamReader delegate() {
        return delegate;
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
    public Cursor cursor() {
        return delegate.cursor();
    }

    @Override
    public void close() {
        delegate.close();
    }
}

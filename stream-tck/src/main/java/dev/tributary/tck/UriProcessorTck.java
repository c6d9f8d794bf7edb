package dev.tributary.tck;

import dev.tributary.tck.processor.ProcessorTck;

/**
 * The processor kit (C rules) against the broker given by URI, like {@link UriTck}: for
 * {@link TckRunner} and launchers.
 */
public class UriProcessorTck extends ProcessorTck {
    @Override
    protected BrokerFixture fixture() {
        return UriTck.uriFixture();
    }
}

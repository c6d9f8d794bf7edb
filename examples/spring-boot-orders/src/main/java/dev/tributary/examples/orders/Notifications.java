package dev.tributary.examples.orders;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Stands in for an e-mail sender: logs each notification and keeps it for the test to see. */
@Component
public class Notifications {
    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);

    private final List<String> sent = new CopyOnWriteArrayList<>();

    void send(String to, String text) {
        LOG.info("notify {}: {}", to, text);
        sent.add(to + ": " + text);
    }

    public List<String> sent() {
        return List.copyOf(sent);
    }
}

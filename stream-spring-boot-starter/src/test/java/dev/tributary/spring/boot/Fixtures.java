package dev.tributary.spring.boot;

import java.util.UUID;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** What the starter's tests share: a runner with every Tributary auto-configuration and fresh store names. */
final class Fixtures {
    private Fixtures() {}

    /** A named memory store no other test uses, so tests can read what a closed context left behind. */
    static String freshMemoryUri() {
        return "memory:boot_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    static ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        TributaryAutoConfiguration.class,
                        TributaryHealthAutoConfiguration.class,
                        TributaryMetricsAutoConfiguration.class,
                        TributaryTracingAutoConfiguration.class));
    }

    /** The value type of the tests' JSON streams. */
    record Order(String id, int quantity) {}
}

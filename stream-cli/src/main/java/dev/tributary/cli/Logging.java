package dev.tributary.cli;

/**
 * Sets up slf4j-simple before any logger exists. By default only Tributary's own errors are logged:
 * the brokers' client libraries stay off stderr (a failed Kafka connect made kafka-clients log
 * {@code ERROR} lines before the command's one-line error, which says the same), so a failure is the one
 * line {@code tributary: …}. With {@code --verbose}, every logger at INFO. Properties given with
 * {@code -D} on the java command line win ({@code -Dorg.slf4j.simpleLogger.defaultLogLevel=debug} sets
 * every logger, Tributary's included). The demo and the kit silence stream-core's logger: they make
 * processors fail on purpose and report it in their own output.
 */
final class Logging {
    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private Logging() {}

    static void configure(String[] args) {
        boolean verbose = false;
        boolean demo = false;
        for (String a : args) {
            if ("--".equals(a)) {
                break;
            }
            if ("--verbose".equals(a)) {
                verbose = true;
            }
            if ("demo".equals(a) || "tck".equals(a)) {
                demo = true;
            }
        }
        if (demo && !verbose) {
            // the demo kills a group member on purpose, and the kit's processor rules make processors
            // fail on purpose; both report it themselves, and the processor's own ERROR line with its
            // stack trace would only alarm
            setIfAbsent(PREFIX + "log.dev.tributary.core", "off");
        }
        if (System.getProperty(PREFIX + "defaultLogLevel") == null) {
            if (verbose) {
                System.setProperty(PREFIX + "defaultLogLevel", "info");
            } else {
                System.setProperty(PREFIX + "defaultLogLevel", "off"); // third-party clients: only with --verbose
                setIfAbsent(PREFIX + "log.dev.tributary", "error");
            }
        }
        setIfAbsent(PREFIX + "logFile", "System.err");
        setIfAbsent(PREFIX + "showDateTime", "true");
        setIfAbsent(PREFIX + "dateTimeFormat", "HH:mm:ss.SSS");
        setIfAbsent(PREFIX + "showShortLogName", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}

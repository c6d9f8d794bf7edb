package dev.tributary.cli;

/**
 * Sets up slf4j-simple before any logger exists: quiet (errors only) by default so that the brokers'
 * client libraries do not drown the command's output; INFO with {@code --verbose}. Properties
 * given with {@code -D} on the java command line win. The demo and the kit silence stream-core's logger:
 * they make processors fail on purpose and report it in their own output.
 */
final class Logging {
    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private Logging() {
    }

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
        setIfAbsent(PREFIX + "defaultLogLevel", verbose ? "info" : "error");
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

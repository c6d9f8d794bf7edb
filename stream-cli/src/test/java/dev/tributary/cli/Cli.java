package dev.tributary.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs the command line in this JVM with captured output, as a user would type it. */
final class Cli {
    private static final AtomicInteger STORES = new AtomicInteger();

    private Cli() {}

    /** A fresh named memory store, shared by every command of one test (each command is a new client). */
    static String freshStore() {
        return "memory:clitest" + STORES.incrementAndGet() + "x"
                + ProcessHandle.current().pid();
    }

    static Result run(String... args) {
        return runWithInput("", args);
    }

    static Result runWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Tributary.commandLine(
                        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                        new PrintWriter(out, true),
                        new PrintWriter(err, true))
                .execute(args);
        return new Result(code, out.toString(), err.toString(), List.of(args));
    }

    record Result(int exitCode, String out, String err, List<String> args) {
        List<String> outLines() {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\\R"));
        }

        List<String> errLines() {
            return err.isEmpty() ? List.of() : Arrays.asList(err.split("\\R"));
        }

        @Override
        public String toString() {
            return "tributary " + String.join(" ", args) + " -> exit " + exitCode + "\n--- out:\n" + out + "--- err:\n"
                    + err;
        }
    }
}

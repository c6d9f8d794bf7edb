package dev.tributary.tck.internal;

import dev.tributary.Capability;
import dev.tributary.ErrorKind;
import dev.tributary.StreamClient;
import dev.tributary.tck.Tck;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.function.Executable;

/** Capability gates: a rule whose capability is not declared checks that using it fails fast, then is skipped. */
public final class Gate {
    private Gate() {}

    /**
     * Returns when {@code c} declares {@code cap}. Otherwise checks that {@code use} fails fast (a
     * scaled 5 s) with {@link ErrorKind#UNSUPPORTED} and aborts the rule, which is then reported as
     * skipped with the capability named.
     */
    public static void require(StreamClient c, Capability cap, Executable use) {
        if (c.supports(cap)) {
            return;
        }
        checkUnsupported(c, cap, use);
        Assumptions.abort("capability " + cap + " is not declared by backend '" + c.backend()
                + "' (checked: using it fails fast with UNSUPPORTED)");
    }

    /** Checks that using the undeclared {@code cap} fails fast with UNSUPPORTED. */
    public static void checkUnsupported(StreamClient c, Capability cap, Executable use) {
        Duration bound = Tck.scaled(Duration.ofSeconds(5));
        Expect.within(
                bound,
                "using undeclared " + cap,
                () -> Expect.kind(
                        ErrorKind.UNSUPPORTED,
                        "backend '" + c.backend() + "' does not declare " + cap
                                + ", so using it must fail fast with UNSUPPORTED, "
                                + "never silently work or do nothing",
                        use));
    }
}

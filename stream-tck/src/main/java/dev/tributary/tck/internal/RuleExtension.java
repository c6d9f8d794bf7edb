package dev.tributary.tck.internal;

import dev.tributary.tck.RuleHint;
import dev.tributary.tck.Tck;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Applies the kit's conventions to every rule: a time budget ({@link RuleHint#budgetSeconds()},
 * scaled by {@link Tck#scaled}) after which the rule's thread is interrupted and the rule fails, and
 * failure messages prefixed with the rule id and followed by the rule's "if this fails, check …" hint.
 */
public final class RuleExtension implements InvocationInterceptor, TestExecutionExceptionHandler {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tributary-tck-watchdog");
        t.setDaemon(true);
        return t;
    });

    @Override
    public void interceptTestMethod(
            Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext)
            throws Throwable {
        RuleHint hint = invocationContext.getExecutable().getAnnotation(RuleHint.class);
        Duration budget = Tck.scaled(Duration.ofSeconds(hint == null ? 120 : hint.budgetSeconds()));
        Thread runner = Thread.currentThread();
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> alarm = WATCHDOG.schedule(
                () -> {
                    expired.set(true);
                    runner.interrupt();
                },
                budget.toMillis(),
                TimeUnit.MILLISECONDS);
        Throwable failure = null;
        try {
            invocation.proceed();
        } catch (Throwable t) {
            failure = t;
        } finally {
            alarm.cancel(false);
            if (expired.get()) {
                Thread.interrupted(); // clear a late interrupt so it does not leak into the next rule
            }
        }
        if (expired.get()) {
            AssertionFailedError e = new AssertionFailedError("the rule ran longer than its budget of " + budget
                    + " (timeout scale " + Tck.timeoutScale() + ") and was interrupted: a call did not return in time");
            if (failure != null) {
                e.addSuppressed(failure);
            }
            throw e;
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        if (throwable instanceof TestAbortedException) {
            throw throwable;
        }
        Method m = context.getTestMethod().orElse(null);
        if (m == null) {
            throw throwable;
        }
        RuleHint hint = m.getAnnotation(RuleHint.class);
        String id = RuleNames.parse(m.getName()).map(RuleNames.Rule::id).orElse(m.getName());
        String message = throwable instanceof AssertionError
                ? String.valueOf(throwable.getMessage())
                : "unexpected " + throwable;
        StringBuilder b = new StringBuilder("[").append(id).append("] ").append(message);
        if (throwable instanceof FixtureError) {
            b.append("\n  if this fails, check: the kit's fixture and hooks (this is not about the backend)");
        } else if (hint != null) {
            b.append("\n  if this fails, check: ").append(hint.value());
        }
        AssertionFailedError wrapped = new AssertionFailedError(b.toString(), throwable);
        throw wrapped;
    }
}

package dev.tributary.tck;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The one-line "if this fails, check …" hint of a rule, and its time budget. The kit appends the
 * hint to the message of every failure of the rule, so a report says where to look.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RuleHint {
    /** What to check when the rule fails. */
    String value();

    /** The rule's time budget in seconds before scaling; the rule fails when it runs longer. */
    int budgetSeconds() default 120;
}

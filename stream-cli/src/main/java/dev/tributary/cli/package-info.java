/**
 * The {@code tributary} command line: the entry point {@link dev.tributary.cli.Tributary}, the
 * options every command shares and the error policy (one line on stderr, exit code 1 for runtime
 * failures and 2 for usage or configuration errors, stack traces only with {@code --verbose}).
 * This is an application, not a library API: the packages below may change at any release.
 */
package dev.tributary.cli;

/**
 * The everyday commands (produce, tail, range, info, trim, groups, tck) and what they share:
 * position and duration parsing, event printing (text or JSON Lines), Ctrl-C handling. Not an API.
 */
package dev.tributary.cli.command;

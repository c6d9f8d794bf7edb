package dev.tributary.cli.command;

/** How commands print events and figures. */
public enum OutputFormat {
    /** One human-readable line per event. */
    TEXT,
    /** One JSON object per line (JSON Lines), for scripts and jq. */
    JSON
}

/**
 * {@code tributary demo}: a realistic run that shows what the library does — publisher, live tail
 * with resume, a consumer group losing a member mid-batch, a history reader — and checks it with a
 * history of every append and delivery (lost must be 0). {@code DemoScenario} is the run (with
 * {@code DemoProducer}, {@code LiveTail}, {@code DemoGroup} and the {@code Ledger}) and returns a
 * {@code DemoResult}; {@code ConsoleView} prints it; {@code DemoRun} ties them to the command. Not an API.
 */
package dev.tributary.cli.demo;

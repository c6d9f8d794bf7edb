/**
 * {@code tributary demo}: a realistic run that shows what the library does — publisher, live tail
 * with resume, a consumer group losing a member mid-batch, a history reader — and checks it with a
 * history of every append and delivery (lost must be 0). Not an API.
 */
package dev.tributary.cli.demo;

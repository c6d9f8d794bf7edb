/**
 * The technology compatibility kit: abstract JUnit 5 suites a backend extends to prove it keeps the
 * contract. {@link dev.tributary.tck.StreamClientTck} holds the rules of the L, A, P, H, G, E and F
 * families of TCK-RULES.md; {@link dev.tributary.tck.HistoryChecker} records appends and deliveries
 * and reports losses, duplicates and reorders; {@link dev.tributary.tck.TckRunner} runs the kit
 * against a URI and prints a per-rule table. Every need of the kit is an explicit hook on the
 * abstract classes ({@link dev.tributary.tck.BrokerFixture}, {@code openClient()}).
 */
package dev.tributary.tck;

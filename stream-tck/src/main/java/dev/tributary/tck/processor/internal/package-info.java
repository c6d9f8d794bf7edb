/**
 * The processor kit's machinery and rule bodies (C1–C6). Not API: these classes may change in any
 * release; extend {@link dev.tributary.tck.processor.ProcessorTck} and use the hooks it declares instead.
 */
package dev.tributary.tck.processor.internal;

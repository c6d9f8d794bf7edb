/**
 * The kit's machinery and rule bodies. Not API: these classes may change in any release; extend
 * {@link dev.tributary.tck.StreamClientTck} and use the hooks it declares instead.
 */
package dev.tributary.tck.internal;

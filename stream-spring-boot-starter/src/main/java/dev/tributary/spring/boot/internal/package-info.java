/** Helpers of the Spring Boot starter; not API, may change without notice. */
package dev.tributary.spring.boot.internal;

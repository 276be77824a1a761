/**
 * OpenTelemetry tracing, Micrometer metrics and MDC trace ids for every process.
 *
 * <p>An SRE follows one request across processes with one trace id.
 */
package dev.sieve.core.telemetry;

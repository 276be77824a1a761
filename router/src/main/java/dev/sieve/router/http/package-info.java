/**
 * JSON over HTTP (POST /v1/classify, /v1/classify:batch, GET /v1/categories, /v1/openapi.json) in
 * the router process, through an in-process channel to the same gRPC service.
 *
 * <p>Same interceptors, deadlines and statuses as gRPC, so the two doors can never disagree.
 */
package dev.sieve.router.http;

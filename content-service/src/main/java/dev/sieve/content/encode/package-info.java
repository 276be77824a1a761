/**
 * Frozen sentence encoders (MiniLM, bge-small) over text chunks, in-process ONNX Runtime.
 *
 * <p>Shared by training and serving so embeddings never skew between the two.
 */
package dev.sieve.content.encode;

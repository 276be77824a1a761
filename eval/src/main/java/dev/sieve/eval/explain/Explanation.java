package dev.sieve.eval.explain;

import dev.sieve.proto.v1.ClassifyResponse;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything an RCA is written from.
 *
 * @param url the URL investigated ("" for text)
 * @param text the text investigated ("" for a URL)
 * @param expected what the reporter says the verdict should be (null = not stated; empty = no
 *     category)
 * @param response the router's response, when it answered
 * @param routerError why there is no response ("" when there is)
 * @param host normalized host ("" for text)
 * @param registeredDomain registered domain ("" for text)
 * @param focus the category investigated
 * @param neighbours nearest training examples
 * @param datasetVersion dataset the neighbours come from ("" when none was available)
 * @param action the proposed action
 */
public record Explanation(
    String url,
    String text,
    Set<String> expected,
    Optional<ClassifyResponse> response,
    String routerError,
    String host,
    String registeredDomain,
    Focus focus,
    List<Neighbour> neighbours,
    String datasetVersion,
    ProposedAction action) {}

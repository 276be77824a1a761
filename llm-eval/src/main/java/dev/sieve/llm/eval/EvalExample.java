package dev.sieve.llm.eval;

import dev.sieve.core.data.Split;

/**
 * One labelled input of an evaluation task.
 *
 * @param id host (domain tasks) or text record id (text tasks)
 * @param text what the tier scores: the host's URL rendering or the text
 * @param positive label for the task's category
 * @param split dataset split (train is used only for few-shot examples)
 * @param source provenance used for slices (source list ids, or text source)
 */
public record EvalExample(String id, String text, boolean positive, Split split, String source) {}

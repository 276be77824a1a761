package dev.sieve.eval.report;

/**
 * Micro (pooled counts) or macro (mean of per-category values) averages over the measured
 * categories only: an insufficient-data category is left out, not counted as zero.
 *
 * @param categories how many categories entered the average
 * @param precision precision
 * @param recall recall
 * @param f1 F1
 * @param auprc mean AUPRC (macro only)
 * @param auroc mean AUROC (macro only)
 */
public record Averages(
    int categories,
    Estimate precision,
    Estimate recall,
    Estimate f1,
    Estimate auprc,
    Estimate auroc) {}

package dev.sieve.router.merge;

import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.router.policy.CoreCategories;
import dev.sieve.router.tier.TierName;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The per-category result of merging tier scores for one request, as plain arrays indexed by
 * taxonomy position (one small allocation per request instead of a map per category).
 *
 * <p>Filled by {@link ScoreMerger}; read by {@code dev.sieve.router.CategoryDecider}. Not
 * thread-safe: one request owns it.
 */
public final class MergedScores {

  private static final int TIERS = TierName.values().length;

  /** Merged score per core category (0 when no tier had an opinion). */
  final double[] score;

  /** True when at least one tier gave an opinion on the category. */
  final boolean[] opinion;

  /** True when the score comes from a definitive (exact list match) tier score. */
  final boolean[] definitive;

  /** Tier mask ({@link TierName#bit()}) of the tiers whose scores entered the merged score. */
  final int[] contributors;

  /** True when a tier that would have covered the category was unavailable. */
  final boolean[] unavailable;

  /**
   * For fail-closed categories: which tiers were unavailable and how ("url TIMEOUT, content
   * ERROR").
   */
  final String[] unavailableDetail;

  /**
   * For categories without any opinion: which tiers that cover them were cut short by the caller's
   * deadline ("content"), null where none was.
   */
  final String[] callerCutDetail;

  /** True when the url tier answered this request (OK), with or without an opinion per category. */
  boolean urlAnswered;

  /** Each tier's score for each core category, null where it had no opinion ([tier][category]). */
  final CategoryScore[][] tierScores;

  /**
   * Emerging-category scores from the llm tier, in the order it returned them (created on first
   * use).
   */
  private Map<String, CategoryScore> emerging;

  public MergedScores() {
    int n = CoreCategories.count();
    score = new double[n];
    opinion = new boolean[n];
    definitive = new boolean[n];
    contributors = new int[n];
    unavailable = new boolean[n];
    unavailableDetail = new String[n];
    callerCutDetail = new String[n];
    tierScores = new CategoryScore[TIERS][n];
  }

  public double score(int index) {
    return score[index];
  }

  public boolean hasOpinion(int index) {
    return opinion[index];
  }

  public boolean definitive(int index) {
    return definitive[index];
  }

  public int contributors(int index) {
    return contributors[index];
  }

  public boolean coveringTierUnavailable(int index) {
    return unavailable[index];
  }

  public String unavailableDetail(int index) {
    return unavailableDetail[index];
  }

  /**
   * Tiers that cover the category and were cut short by the caller's deadline, for a category
   * without any opinion ("content, llm"); null when none was.
   */
  public String callerCutDetail(int index) {
    return callerCutDetail[index];
  }

  /**
   * Whether the url tier answered this request (its evidence is what on_tier_loss url_only uses).
   */
  public boolean urlAnswered() {
    return urlAnswered;
  }

  /** The tier's own score for a core category, or null when it had no opinion. */
  public CategoryScore tierScore(TierName tier, int index) {
    return tierScores[tier.ordinal()][index];
  }

  /** Emerging categories scored by the llm tier (id to score). */
  public Map<String, CategoryScore> emerging() {
    return emerging == null ? Map.of() : emerging;
  }

  void putEmerging(String id, CategoryScore score) {
    if (emerging == null) {
      emerging = new LinkedHashMap<>();
    }
    emerging.putIfAbsent(id, score);
  }
}

package dev.sieve.core.taxonomy;

import java.util.Objects;

/**
 * One taxonomy category as the whole fleet understands it.
 *
 * <p>The id is a wire contract: evaluation tooling, policy files and model cards key on it, so it
 * is never renamed, only deprecated. {@code failClosed} says what the router does when no tier
 * could score the category: for categories where a miss harms a child (self-harm, adult) the safe
 * default is to block, for the rest to allow.
 *
 * @param id stable snake_case id used on the wire
 * @param displayName short human label
 * @param definition what belongs in the category (and, where it matters, what does not)
 * @param defaultAction K-12 default action for a positive decision
 * @param failClosed whether the category blocks when every tier that could score it is unavailable
 * @param zeroShot true for emerging categories defined by configuration and scored only zero-shot
 * @param alerts whether a positive decision raises the wellness alert by default. True for every
 *     {@link DefaultAction#ALERT} category, and for help categories that alert without blocking
 *     (self_harm_help: a student reading a crisis-line page is someone a counsellor may want to
 *     reach, but the page must never be blocked)
 */
public record Category(
    String id,
    String displayName,
    String definition,
    DefaultAction defaultAction,
    boolean failClosed,
    boolean zeroShot,
    boolean alerts) {

  /** A category that alerts exactly when its default action is {@link DefaultAction#ALERT}. */
  public Category(
      String id,
      String displayName,
      String definition,
      DefaultAction defaultAction,
      boolean failClosed,
      boolean zeroShot) {
    this(
        id,
        displayName,
        definition,
        defaultAction,
        failClosed,
        zeroShot,
        defaultAction == DefaultAction.ALERT);
  }

  public Category {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(defaultAction, "defaultAction");
    if (defaultAction == DefaultAction.ALERT && !alerts) {
      throw new IllegalArgumentException("an ALERT category must raise the alert: " + id);
    }
    if (!id.matches("[a-z][a-z0-9_]{1,47}")) {
      throw new IllegalArgumentException(
          "category id must be snake_case [a-z][a-z0-9_]{1,47}: " + id);
    }
  }
}

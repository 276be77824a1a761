package dev.sieve.lab.data.texts;

import java.util.regex.Pattern;

/**
 * The documented keyword rules that label ordinary text with the two help categories of taxonomy
 * v1.1, and the rule that keeps sexual references to children out of every dataset version.
 *
 * <p>Why rules, and why only on ordinary text: no source labels "sex education" or "self-harm help"
 * on text, but the ordinary sources (health pages, textbooks, classroom news) are informational by
 * construction, so an ordinary text that discusses sexuality or suicide IS informational text about
 * it — exactly what the adult and self_harm categories must not block and what the help categories
 * exist for. Applied to a promotional or first-person source the same words would mean something
 * else; the sources decide where the rules run (mapping rows {@code topic_*}, flagged
 * keyword_derived). The rules are deliberately literal so that a reviewer can predict them.
 */
public final class TopicRules {

  /**
   * Sexual and reproductive health, sexuality and gender identity: the vocabulary an adult
   * classifier confuses with pornography.
   */
  public static final Pattern SEX_EDUCATION =
      Pattern.compile(
          "(?i)\\b(sexual\\w*|intercourse|contracepti\\w*|birth control|condoms?|puberty"
              + "|menstrua\\w*|genital\\w*|penis|vagina\\w*|erection|erectile|orgasm\\w*|masturbat\\w*"
              + "|gay|lesbians?|bisexual\\w*|transgender\\w*|lgbt\\w*|queer|gender identity"
              + "|sexually transmitted|stds?|stis?|hiv)\\b");

  /** Suicide, self-injury and eating disorders: what self_harm_help is about. */
  public static final Pattern SELF_HARM_HELP =
      Pattern.compile(
          "(?i)\\b(suicid\\w*|self-harm\\w*|self harm\\w*|self-injur\\w*|self-mutilat\\w*|cutting themselves"
              + "|eating disorders?|anorexi\\w*|bulimi\\w*|binge eating)\\b");

  private static final Pattern CHILD =
      Pattern.compile(
          "(?i)\\b(child|children|kids?|minors?|underage|toddlers?|bab(y|ies)|infants?|schoolgirls?"
              + "|choir ?boys?|altar boys?|elementary school|kindergarten|p(a)?edo\\w*|\\d{1,2} ?(yo|year[- ]olds?))\\b");

  private static final Pattern SEXUAL =
      Pattern.compile(
          "(?i)\\b(sex\\w*|rap(e|ed|ing|ist)|molest\\w*|fuck\\w*|porn\\w*|naked|nude|cock|dick|pussy|cum)\\b");

  /**
   * Rule S1, site descriptions: words of pornography, gambling or drug sales. The crowdsourced
   * Curlie set has no Adult tree, but some of its domains were re-registered since (measured: 6 of
   * 840, e.g. a French porn page and an online poker site): such a description is not ordinary
   * text.
   */
  private static final Pattern BLOCKABLE_SITE =
      Pattern.compile(
          "(?i)\\b(porn\\w*|xxx|escorts?|casinos?|poker|betting|judi|slots?|dispensar(y|ies)|marijuana|cannabis)\\b");

  /**
   * Rule D1's screen: sexual or suicide words (an inoffensive tweet naming them is not ordinary).
   */
  private static final Pattern SEXUAL_OR_SUICIDE =
      Pattern.compile(
          "(?i)\\b(porn\\w*|xxx|sex\\w*|nudes?|naked|nsfw|escorts?|pussy|dick|cock|tits|boobs"
              + "|suicid\\w*|kill (my|him|her)self|self-harm\\w*|cutting)\\b");

  private TopicRules() {}

  public static boolean sexualOrSuicideTerms(String text) {
    return SEXUAL_OR_SUICIDE.matcher(text).find();
  }

  public static boolean blockableSiteDescription(String text) {
    return BLOCKABLE_SITE.matcher(text).find();
  }

  public static boolean sexEducation(String text) {
    return SEX_EDUCATION.matcher(text).find();
  }

  public static boolean selfHarmHelp(String text) {
    return SELF_HARM_HELP.matcher(text).find();
  }

  /**
   * A sexual reference involving children. Such text is never redistributed in a dataset version
   * (the rule that also drops AILuminate 'cse' and SimpleSafetyTests 'Child safety' prompts),
   * whatever its register; {@code sexualByAnnotators} lets a source's own lewdness label count as
   * the sexual half.
   */
  public static boolean childSexual(String text, boolean sexualByAnnotators) {
    return CHILD.matcher(text).find() && (sexualByAnnotators || SEXUAL.matcher(text).find());
  }
}

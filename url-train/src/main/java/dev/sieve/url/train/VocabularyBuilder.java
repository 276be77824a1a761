package dev.sieve.url.train;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.Split;
import dev.sieve.url.features.Vocabulary;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Learns the segmentation vocabulary from the training split only, from two legitimate sources in
 * the dataset itself:
 *
 * <ul>
 *   <li>host labels that already carry word boundaries: every letter run of a label split by
 *       hyphens or digits ({@code free-casino-bonus}, {@code casino777royal}) counts as a word
 *       occurrence (labels with a single letter run are not counted: they are the concatenations to
 *       segment);
 *   <li>the letter runs of the training texts (tweets, posts, site descriptions, prompts), which
 *       supply ordinary English words and their frequencies.
 * </ul>
 *
 * Dev and test hosts never contribute, so segmentation cannot leak held-out site names.
 */
public final class VocabularyBuilder {

  private final Map<String, Long> counts = new HashMap<>();

  /** Counts words of training hosts whose labels have explicit boundaries. */
  public VocabularyBuilder addTrainHosts(DomainExamples examples) {
    for (int i = 0; i < examples.size(); i++) {
      if (examples.split(i) == Split.TRAIN) {
        addHost(examples.host(i));
      }
    }
    return this;
  }

  void addHost(String host) {
    int labelStart = 0;
    while (labelStart <= host.length()) {
      int dot = host.indexOf('.', labelStart);
      int end = dot < 0 ? host.length() : dot;
      addLabel(host, labelStart, end);
      if (dot < 0) {
        break;
      }
      labelStart = dot + 1;
    }
  }

  private void addLabel(String s, int from, int to) {
    int runs = 0;
    for (int i = from; i < to; ) {
      if (isLetter(s.charAt(i))) {
        int j = i + 1;
        while (j < to && isLetter(s.charAt(j))) {
          j++;
        }
        runs++;
        i = j;
      } else {
        i++;
      }
    }
    if (runs < 2) {
      return;
    }
    countRuns(s, from, to);
  }

  /** Counts the letter runs of the training texts. */
  public VocabularyBuilder addTrainTexts(DatasetVersion dataset) {
    dataset.forEachText(
        t -> {
          if (Split.TRAIN.id().equals(t.split()) && t.text() != null) {
            String lower = t.text().toLowerCase(Locale.ROOT);
            countRuns(lower, 0, lower.length());
          }
        });
    return this;
  }

  /** Adds raw text (tests). */
  public VocabularyBuilder addText(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    countRuns(lower, 0, lower.length());
    return this;
  }

  private void countRuns(String s, int from, int to) {
    for (int i = from; i < to; ) {
      if (isLetter(s.charAt(i))) {
        int j = i + 1;
        while (j < to && isLetter(s.charAt(j))) {
          j++;
        }
        if (j - i >= 2 && j - i <= Vocabulary.MAX_WORD_LENGTH) {
          counts.merge(s.substring(i, j), 1L, Long::sum);
        }
        i = j;
      } else {
        i++;
      }
    }
  }

  private static boolean isLetter(char c) {
    return c >= 'a' && c <= 'z';
  }

  public Vocabulary build(int minCount, int maxWords) {
    return Vocabulary.fromCounts(counts, minCount, maxWords);
  }
}

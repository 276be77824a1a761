package dev.sieve.llm.embedded;

import dev.sieve.llm.category.CategoryCatalog;
import dev.sieve.llm.category.CategoryDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded prototypes of one catalog: per category, the positive prototypes (description and
 * positive examples) and the negative prototypes (its negative examples plus the shared background
 * of ordinary pages).
 *
 * <p>Built once per catalog version (a few hundred short texts, well under a second) so scoring a
 * request costs only the request's own chunks. Texts longer than the encoder sees are chunked like
 * page text, each chunk becoming a prototype with the same label.
 */
public final class PrototypeIndex {

  /** One prototype vector and where it came from (for evidence). */
  public record Prototype(String label, String text, float[] vector) {}

  /** The prototypes of one category. */
  public record CategoryPrototypes(
      CategoryDefinition category, List<Prototype> positives, List<Prototype> negatives) {}

  private final String catalogVersion;
  private final Map<String, CategoryPrototypes> byId;

  private PrototypeIndex(String catalogVersion, Map<String, CategoryPrototypes> byId) {
    this.catalogVersion = catalogVersion;
    this.byId = byId;
  }

  public static PrototypeIndex build(
      CategoryCatalog catalog, SentenceEncoder encoder, TextChunker chunker) {
    record Pending(String categoryId, boolean positive, String label, String text) {}
    List<Pending> pending = new ArrayList<>();
    List<Pending> background = new ArrayList<>();
    for (int i = 0; i < catalog.background().size(); i++) {
      for (String chunk : chunker.chunk(catalog.background().get(i)).chunks()) {
        background.add(new Pending("", false, "background " + (i + 1), chunk));
      }
    }
    for (CategoryDefinition category : catalog.categories()) {
      for (String chunk : chunker.chunk(category.description()).chunks()) {
        pending.add(new Pending(category.id(), true, "description", chunk));
      }
      for (int i = 0; i < category.positiveExamples().size(); i++) {
        for (String chunk : chunker.chunk(category.positiveExamples().get(i)).chunks()) {
          pending.add(new Pending(category.id(), true, "positive example " + (i + 1), chunk));
        }
      }
      for (int i = 0; i < category.negativeExamples().size(); i++) {
        for (String chunk : chunker.chunk(category.negativeExamples().get(i)).chunks()) {
          pending.add(new Pending(category.id(), false, "negative example " + (i + 1), chunk));
        }
      }
    }
    List<String> texts = new ArrayList<>();
    background.forEach(p -> texts.add(p.text()));
    pending.forEach(p -> texts.add(p.text()));
    float[][] vectors = encoder.embed(texts);
    List<Prototype> backgroundPrototypes = new ArrayList<>();
    for (int i = 0; i < background.size(); i++) {
      backgroundPrototypes.add(
          new Prototype(background.get(i).label(), background.get(i).text(), vectors[i]));
    }
    Map<String, List<Prototype>> positives = new LinkedHashMap<>();
    Map<String, List<Prototype>> negatives = new LinkedHashMap<>();
    for (int i = 0; i < pending.size(); i++) {
      Pending p = pending.get(i);
      Prototype prototype = new Prototype(p.label(), p.text(), vectors[background.size() + i]);
      (p.positive() ? positives : negatives)
          .computeIfAbsent(p.categoryId(), k -> new ArrayList<>())
          .add(prototype);
    }
    Map<String, CategoryPrototypes> byId = new LinkedHashMap<>();
    for (CategoryDefinition category : catalog.categories()) {
      List<Prototype> negs = new ArrayList<>(negatives.getOrDefault(category.id(), List.of()));
      negs.addAll(backgroundPrototypes);
      byId.put(
          category.id(),
          new CategoryPrototypes(
              category, List.copyOf(positives.get(category.id())), List.copyOf(negs)));
    }
    return new PrototypeIndex(catalog.version(), byId);
  }

  public String catalogVersion() {
    return catalogVersion;
  }

  public CategoryPrototypes get(String categoryId) {
    CategoryPrototypes prototypes = byId.get(categoryId);
    if (prototypes == null) {
      throw new IllegalArgumentException("no prototypes for category '" + categoryId + "'");
    }
    return prototypes;
  }
}

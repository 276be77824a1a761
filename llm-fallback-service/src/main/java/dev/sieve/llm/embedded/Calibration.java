package dev.sieve.llm.embedded;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sieve.core.util.Sha256;
import dev.sieve.llm.category.CategoryDefinition;
import dev.sieve.llm.input.InputKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maps a raw similarity margin to a probability, per category and input kind.
 *
 * <p>A raw margin (max cosine to positive prototypes minus max cosine to negative prototypes) is
 * not a probability and its scale differs between categories and between page text and URL
 * renderings, so each (category, kind) gets a logistic {@code p = 1 / (1 + exp(-(a * margin + b)))}
 * fitted offline on the labelled dev split ({@code ./sieve llm-eval}, written to {@code
 * models/llm-zero-shot/<version>/calibration.json}). A fit applies only to the definition it was
 * fitted on: the entry stores the category's {@link
 * dev.sieve.llm.category.CategoryCatalog#scoringHash scoring hash} (its description, examples and
 * the shared background).
 *
 * <p>Without a valid fit for that category and kind, the documented default mapping applies:
 *
 * <ol>
 *   <li>the pooled fit for that input kind from the same file (all calibrated categories of that
 *       kind together), when present;
 *   <li>otherwise the built-in {@link #BUILTIN_DEFAULT}: a = 12, b = -1.2, i.e. p = 0.5 at margin
 *       0.1, p ≈ 0.95 at margin 0.35, p ≈ 0.05 at margin -0.15. Chosen by hand from the margins the
 *       encoder gives clear page-like positives (0.2 to 0.45) and ordinary pages (below -0.1); a
 *       fitted or pooled calibration replaces it wherever labelled data exists.
 * </ol>
 *
 * Every score says which mapping produced it ({@link Applied#how()}).
 */
public final class Calibration {

  /** The built-in default mapping (documented above). */
  public static final Logistic BUILTIN_DEFAULT = new Logistic(12.0, -1.2);

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  /** p = sigmoid(a * margin + b). */
  public record Logistic(@JsonProperty("a") double a, @JsonProperty("b") double b) {
    public double apply(double margin) {
      double z = a * margin + b;
      return 1.0 / (1.0 + Math.exp(-z));
    }

    /** The margin at which p = 0.5. */
    public double margin50() {
      return -b / a;
    }
  }

  /**
   * One fitted (category, kind). {@code threshold} is the calibrated probability that maximized F1
   * on dev: a suggested operating point for policies, not applied by the tier (the router applies
   * the tenant's thresholds).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Entry(
      @JsonProperty("a") double a,
      @JsonProperty("b") double b,
      @JsonProperty("threshold") double threshold,
      @JsonProperty("scoring_hash") String scoringHash,
      @JsonProperty("n_positive") int nPositive,
      @JsonProperty("n_negative") int nNegative,
      @JsonProperty("fitted_on") String fittedOn) {
    public Logistic logistic() {
      return new Logistic(a, b);
    }
  }

  /** The file format of {@code calibration.json}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record FileFormat(
      @JsonProperty("format") int format,
      @JsonProperty("version") String version,
      @JsonProperty("dataset_version") String datasetVersion,
      @JsonProperty("encoder") String encoder,
      @JsonProperty("catalog_version") String catalogVersion,
      @JsonProperty("defaults") Map<String, Logistic> defaults,
      @JsonProperty("categories") Map<String, Map<String, Entry>> categories) {}

  /** A calibrated probability and the mapping that produced it. */
  public record Applied(double probability, String how) {}

  private final FileFormat file;
  private final String sha256;

  private Calibration(FileFormat file, String sha256) {
    this.file = file;
    this.sha256 = sha256;
  }

  /** No fitted calibration: every category uses the built-in default mapping. */
  public static Calibration none() {
    return new Calibration(
        new FileFormat(1, "uncalibrated", "", "", "", Map.of(), Map.of()), "none");
  }

  /** A calibration built in memory; its hash is that of the bytes {@link #write} puts on disk. */
  public static Calibration of(FileFormat file) {
    return new Calibration(file, Sha256.of(serialize(file)));
  }

  private static String serialize(FileFormat file) {
    try {
      return JSON.writeValueAsString(file) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a calibration file.
   *
   * @throws UncheckedIOException when the file is unreadable or malformed (a broken release must
   *     fail the start, not silently serve uncalibrated scores)
   */
  public static Calibration load(Path path) {
    try {
      byte[] bytes = Files.readAllBytes(path);
      FileFormat file = JSON.readValue(bytes, FileFormat.class);
      if (file.format() != 1) {
        throw new IOException("unsupported calibration format " + file.format());
      }
      return new Calibration(
          new FileFormat(
              file.format(),
              file.version(),
              file.datasetVersion() == null ? "" : file.datasetVersion(),
              file.encoder(),
              file.catalogVersion(),
              file.defaults() == null ? Map.of() : file.defaults(),
              file.categories() == null ? Map.of() : file.categories()),
          Sha256.of(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read calibration " + path + ": " + e.getMessage(), e);
    }
  }

  public void write(Path path) {
    try {
      Files.createDirectories(path.getParent());
      Files.writeString(path, serialize(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Maps a raw margin of {@code category} on input of {@code kind} to a probability.
   *
   * @param scoringHash the category's current scoring hash (catalog.scoringHash(category))
   */
  public Applied apply(
      CategoryDefinition category, String scoringHash, InputKind kind, double margin) {
    Map<String, Entry> byKind = file.categories().get(category.id());
    Entry entry = byKind == null ? null : byKind.get(kind.id());
    if (entry != null && scoringHash.equals(entry.scoringHash())) {
      return new Applied(entry.logistic().apply(margin), "fitted:" + kind.id());
    }
    Logistic pooled = file.defaults().get(kind.id());
    String stale = entry != null ? " (fit is for another definition)" : "";
    if (pooled != null) {
      return new Applied(pooled.apply(margin), "default:pooled-" + kind.id() + stale);
    }
    return new Applied(BUILTIN_DEFAULT.apply(margin), "default:builtin" + stale);
  }

  /** True when {@code category} has a fit for {@code kind} matching its current scoring hash. */
  public boolean isFitted(CategoryDefinition category, String scoringHash, InputKind kind) {
    Map<String, Entry> byKind = file.categories().get(category.id());
    Entry entry = byKind == null ? null : byKind.get(kind.id());
    return entry != null && scoringHash.equals(entry.scoringHash());
  }

  /** Encoder the calibration was fitted with ("" when none). */
  public String encoder() {
    return file.encoder() == null ? "" : file.encoder();
  }

  public String version() {
    return file.version();
  }

  public String datasetVersion() {
    return file.datasetVersion();
  }

  public String sha256() {
    return sha256;
  }

  public FileFormat file() {
    return file;
  }

  /** Builder for the offline fitter. */
  public static final class Builder {
    private final Map<String, Logistic> defaults = new TreeMap<>();
    private final Map<String, Map<String, Entry>> categories = new TreeMap<>();

    public Builder putDefault(InputKind kind, Logistic logistic) {
      defaults.put(kind.id(), logistic);
      return this;
    }

    public Builder put(
        CategoryDefinition category,
        String scoringHash,
        InputKind kind,
        Logistic fit,
        double threshold,
        int nPos,
        int nNeg,
        String fittedOn) {
      categories
          .computeIfAbsent(category.id(), k -> new TreeMap<>())
          .put(
              kind.id(), new Entry(fit.a(), fit.b(), threshold, scoringHash, nPos, nNeg, fittedOn));
      return this;
    }

    public Calibration build(
        String version, String datasetVersion, String encoder, String catalogVersion) {
      return of(
          new FileFormat(
              1, version, datasetVersion, encoder, catalogVersion, defaults, categories));
    }
  }
}

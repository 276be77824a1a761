package dev.sieve.url.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sieve.core.util.Sha256;
import dev.sieve.url.features.UrlFeaturizer;
import dev.sieve.url.features.Vocabulary;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes a lexical model version directory:
 *
 * <pre>
 *   model.json      {@link ModelManifest}: features, calibration, thresholds, lineage, artifact SHA-256s
 *   weights.bin.gz  per category: bias, scale, then the non-zero int8 weights as (bucket delta varint, byte)
 *   vocab.tsv.gz    the segmentation {@link Vocabulary}
 * </pre>
 *
 * <p>Loading verifies every artifact against the SHA-256 in {@code model.json}: a model whose bytes
 * do not match the manifest its card was computed for is refused, not served. The model's config
 * hash (reported in every response's lineage) is the SHA-256 of {@code model.json}, which pins the
 * artifacts through their hashes.
 */
public final class ModelArtifacts {

  private static final Logger log = LoggerFactory.getLogger(ModelArtifacts.class);

  public static final String MANIFEST = "model.json";
  public static final String WEIGHTS = "weights.bin.gz";
  public static final String VOCABULARY = "vocab.tsv.gz";
  public static final String RELEASED = "RELEASED";

  /**
   * The files that are the model: what {@code model-metadata.json} lists, so that the model card
   * records their SHA-256 and the release gate refuses a card whose bytes changed. Reports, cards
   * and {@code thresholds.json} next to them are not the model.
   */
  public static final List<String> FILES = List.of(MANIFEST, VOCABULARY, WEIGHTS);

  private static final int MAGIC = 0x53555731; // "SUW1"

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private ModelArtifacts() {}

  /** The JSON mapper used for model.json (deterministic key order). */
  public static ObjectMapper json() {
    return JSON;
  }

  /** The released version directory under {@code modelRoot}, if {@code RELEASED} names one. */
  public static Optional<Path> released(Path modelRoot) {
    Path pointer = modelRoot.resolve(RELEASED);
    if (!Files.isRegularFile(pointer)) {
      return Optional.empty();
    }
    try {
      String version = Files.readString(pointer, StandardCharsets.UTF_8).strip();
      Path dir = modelRoot.resolve(version);
      if (version.isEmpty() || !Files.isDirectory(dir)) {
        throw new IllegalStateException(
            pointer + " names '" + version + "', which is not a directory under " + modelRoot);
      }
      return Optional.of(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pointer, e);
    }
  }

  /**
   * Writes the artifacts and {@code model.json} (with their SHA-256s) into {@code dir}.
   *
   * @param manifest everything but {@code artifacts}, which this method fills in
   * @return the manifest as written
   */
  public static ModelManifest save(
      Path dir,
      ModelManifest manifest,
      Vocabulary vocabulary,
      byte[] weights,
      float[] bias,
      float[] scale) {
    try {
      Files.createDirectories(dir);
      Path weightsFile = dir.resolve(WEIGHTS);
      writeWeights(
          weightsFile,
          weights,
          bias,
          scale,
          manifest.categories().size(),
          manifest.features().buckets());
      Path vocabFile = dir.resolve(VOCABULARY);
      vocabulary.save(vocabFile);
      Map<String, String> artifacts = new LinkedHashMap<>();
      artifacts.put(WEIGHTS, Sha256.ofFile(weightsFile));
      artifacts.put(VOCABULARY, Sha256.ofFile(vocabFile));
      ModelManifest written =
          new ModelManifest(
              manifest.name(),
              manifest.version(),
              manifest.format(),
              manifest.datasetVersion(),
              manifest.codeCommit(),
              manifest.features(),
              manifest.quantization(),
              manifest.categories(),
              manifest.training(),
              artifacts);
      Files.write(dir.resolve(MANIFEST), JSON.writeValueAsBytes(written));
      return written;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write model to " + dir, e);
    }
  }

  /**
   * Loads and verifies a version directory's artifacts alone, without the evaluation standard's
   * {@code thresholds.json}: what the offline evaluation scores (it is the evaluation that chooses
   * those thresholds, so a stale or invalid file must not stop it). Serving loads through {@link
   * LexicalUrlModel#load}, which adds them.
   */
  public static LexicalUrlModel load(Path dir) {
    long t0 = System.nanoTime();
    Path manifestFile = dir.resolve(MANIFEST);
    try {
      byte[] manifestBytes = Files.readAllBytes(manifestFile);
      ModelManifest manifest = JSON.readValue(manifestBytes, ModelManifest.class);
      if (manifest.format() != ModelManifest.FORMAT) {
        throw new IllegalStateException(manifestFile + ": unsupported format " + manifest.format());
      }
      for (String file : new String[] {WEIGHTS, VOCABULARY}) {
        String expected = manifest.artifacts() == null ? null : manifest.artifacts().get(file);
        String actual = Sha256.ofFile(dir.resolve(file));
        if (!actual.equals(expected)) {
          throw new IllegalStateException(
              dir.resolve(file)
                  + ": SHA-256 "
                  + actual
                  + " does not match model.json ("
                  + expected
                  + ")");
        }
      }
      Vocabulary vocabulary = Vocabulary.load(dir.resolve(VOCABULARY));
      UrlFeaturizer featurizer = new UrlFeaturizer(manifest.features(), vocabulary);
      int categories = manifest.categories().size();
      int buckets = manifest.features().buckets();
      byte[] weights = new byte[buckets * categories];
      float[] bias = new float[categories];
      float[] scale = new float[categories];
      readWeights(dir.resolve(WEIGHTS), weights, bias, scale, categories, buckets);
      LexicalUrlModel model =
          new LexicalUrlModel(manifest, Sha256.of(manifestBytes), featurizer, weights, bias, scale);
      log.info(
          "url model {}/{} loaded from {} in {} ms ({} categories, {} vocabulary words)",
          manifest.name(),
          manifest.version(),
          dir,
          (System.nanoTime() - t0) / 1_000_000,
          categories,
          vocabulary.size());
      return model;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load model from " + dir, e);
    }
  }

  private static void writeWeights(
      Path file, byte[] weights, float[] bias, float[] scale, int categories, int buckets)
      throws IOException {
    try (DataOutputStream out =
        new DataOutputStream(
            new BufferedOutputStream(new GZIPOutputStream(Files.newOutputStream(file), 1 << 16)))) {
      out.writeInt(MAGIC);
      out.writeInt(categories);
      out.writeInt(buckets);
      for (int k = 0; k < categories; k++) {
        out.writeFloat(bias[k]);
        out.writeFloat(scale[k]);
        int nnz = 0;
        for (int b = 0; b < buckets; b++) {
          if (weights[b * categories + k] != 0) {
            nnz++;
          }
        }
        out.writeInt(nnz);
        int previous = -1;
        for (int b = 0; b < buckets; b++) {
          byte q = weights[b * categories + k];
          if (q != 0) {
            writeVarint(out, b - previous);
            out.writeByte(q);
            previous = b;
          }
        }
      }
    }
  }

  private static void readWeights(
      Path file, byte[] weights, float[] bias, float[] scale, int categories, int buckets)
      throws IOException {
    try (DataInputStream in =
        new DataInputStream(
            new BufferedInputStream(
                new GZIPInputStream(Files.newInputStream(file), 1 << 16), 1 << 16))) {
      if (in.readInt() != MAGIC) {
        throw new IllegalStateException(file + ": not a url-lexical weights file");
      }
      int c = in.readInt();
      int b = in.readInt();
      if (c != categories || b != buckets) {
        throw new IllegalStateException(
            file
                + ": shape "
                + c
                + "x"
                + b
                + " does not match model.json "
                + categories
                + "x"
                + buckets);
      }
      for (int k = 0; k < categories; k++) {
        bias[k] = in.readFloat();
        scale[k] = in.readFloat();
        int nnz = in.readInt();
        int bucket = -1;
        for (int i = 0; i < nnz; i++) {
          bucket += readVarint(in);
          if (bucket < 0 || bucket >= buckets) {
            throw new IllegalStateException(file + ": bucket out of range");
          }
          weights[bucket * categories + k] = in.readByte();
        }
      }
    }
  }

  private static void writeVarint(DataOutputStream out, int value) throws IOException {
    while ((value & ~0x7f) != 0) {
      out.writeByte((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out.writeByte(value);
  }

  private static int readVarint(DataInputStream in) throws IOException {
    int value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = in.readUnsignedByte();
      value |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new EOFException("malformed varint");
  }
}

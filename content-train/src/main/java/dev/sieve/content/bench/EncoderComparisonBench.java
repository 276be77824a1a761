package dev.sieve.content.bench;

import dev.sieve.content.encode.EncoderVariant;
import dev.sieve.content.encode.OnnxSentenceEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What a stronger encoder costs on the CPU serving path: encodes the same ordinary-prose pages with
 * each {@link EncoderVariant}, chunked the way each variant chunks (about 90 words for MiniLM's 128
 * tokens, about 350 for BGE's 512), in alternating rounds in one process, and reports pages per
 * second and the median ratio. Alternating rounds, not one long run each, because this machine is
 * shared and its speed changes within seconds. Not part of the test suite; run as
 *
 * <pre>
 * java -cp "cli/target/lib/*" \
 *     dev.sieve.content.bench.EncoderComparisonBench [--pages 40] [--rounds 5] [--words 600]
 * </pre>
 */
@Command(
    name = "encoder-comparison",
    mixinStandardHelpOptions = true,
    description =
        "Pages per second of the MiniLM and BGE encoders on the same pages, alternating rounds.")
public final class EncoderComparisonBench implements Callable<Integer> {

  @Option(
      names = "--pages",
      defaultValue = "40",
      description = "Pages per round (default: ${DEFAULT-VALUE}).")
  int pages;

  @Option(
      names = "--words",
      defaultValue = "600",
      description = "Words per page (default: ${DEFAULT-VALUE}).")
  int words;

  @Option(
      names = "--rounds",
      defaultValue = "5",
      description = "Alternating rounds (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--variants",
      split = ",",
      defaultValue = "quantized,bge-small",
      description =
          "Encoder variants to compare, the first is the baseline (default: ${DEFAULT-VALUE}).")
  List<String> variants;

  /** Deterministic ordinary prose (a school-library passage), repeated and varied per page. */
  private static final String[] PROSE =
      ("The library opens at eight on school days and students may borrow up to four books at a time."
              + " Reference works stay in the reading room, and the librarian can order titles from other"
              + " schools in the district. Science fair projects are due in March; the judges look for a"
              + " clear question, a fair test and an honest account of what went wrong. The history club"
              + " meets on Thursdays to read letters written by soldiers and nurses during the civil war,"
              + " and the choir is rehearsing songs from three continents for the spring concert.")
          .split(" ");

  @Override
  public Integer call() {
    List<String> corpus = new ArrayList<>();
    for (int p = 0; p < pages; p++) {
      StringBuilder b = new StringBuilder();
      for (int w = 0; w < words; w++) {
        b.append(PROSE[(w * 7 + p * 13) % PROSE.length]).append(w % 17 == 16 ? ". " : " ");
      }
      corpus.add(b.toString());
    }
    List<EncoderVariant> vs = variants.stream().map(EncoderVariant::parse).toList();
    List<OnnxSentenceEncoder> encoders = new ArrayList<>();
    try {
      for (EncoderVariant v : vs) {
        OnnxSentenceEncoder e =
            OnnxSentenceEncoder.load(OnnxSentenceEncoder.Options.cpuDefaults(v));
        encodePages(e, corpus.subList(0, Math.min(2, corpus.size()))); // warm-up
        encoders.add(e);
      }
      double[][] pagesPerSecond = new double[vs.size()][rounds];
      long[] chunks = new long[vs.size()];
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < encoders.size(); i++) {
          long t0 = System.nanoTime();
          chunks[i] = encodePages(encoders.get(i), corpus);
          pagesPerSecond[i][r] = pages / ((System.nanoTime() - t0) / 1e9);
        }
      }
      System.out.printf(
          Locale.ROOT,
          "%d pages x %d words, %d rounds, %d cores%n",
          pages,
          words,
          rounds,
          Runtime.getRuntime().availableProcessors());
      for (int i = 0; i < vs.size(); i++) {
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          ratio[r] = pagesPerSecond[i][r] / pagesPerSecond[0][r];
        }
        System.out.printf(
            Locale.ROOT,
            "%-22s chunks/page %.1f  pages/s median %.2f  ratio to %s median %.3f%n",
            encoders.get(i).id(),
            chunks[i] / (double) pages,
            median(pagesPerSecond[i]),
            vs.get(0),
            median(ratio));
      }
    } finally {
      encoders.forEach(OnnxSentenceEncoder::close);
    }
    return 0;
  }

  private static long encodePages(OnnxSentenceEncoder encoder, List<String> corpus) {
    long chunks = 0;
    int perChunk = encoder.wordsPerChunk();
    for (String page : corpus) {
      String[] w = page.split(" ");
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < w.length; i += perChunk) {
        parts.add(String.join(" ", Arrays.copyOfRange(w, i, Math.min(w.length, i + perChunk))));
      }
      encoder.embed(parts);
      chunks += parts.size();
    }
    return chunks;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new EncoderComparisonBench()).execute(args));
  }
}

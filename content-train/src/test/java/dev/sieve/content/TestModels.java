package dev.sieve.content;

import dev.sieve.content.encode.ChunkEncoder;
import dev.sieve.content.extract.ExtractionLimits;
import dev.sieve.content.model.CategoryConfig;
import dev.sieve.content.model.HeadConfig;
import dev.sieve.content.model.PagePooling;
import dev.sieve.content.model.PlattCalibration;
import dev.sieve.content.train.HeadTrainer;
import dev.sieve.content.train.LabelMatrix;
import dev.sieve.content.train.TextExample;
import dev.sieve.core.util.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tiny real model for tests: a DJL head trained in a second on a few sentences about gambling and
 * about school, over the real encoder. Small enough to build in every test run, real enough that a
 * casino page must outscore a school page.
 */
public final class TestModels {

  public static final List<String> CATEGORIES = List.of("gambling", "education");

  static final List<String> GAMBLING =
      List.of(
          "Play online slots and win the jackpot tonight at our casino.",
          "Bet on football matches with the best odds and live betting.",
          "Join our poker tables and claim a 100% deposit bonus.",
          "Spin the roulette wheel and double your chips.",
          "Sports betting, blackjack and slot machines in one casino app.",
          "Free spins for new players: deposit now and start gambling.",
          "Our sportsbook offers in-play wagers on every tennis match.",
          "Lottery tickets and scratch cards with huge cash prizes.",
          "Casino bonus codes: wager your free chips on baccarat.",
          "Place a bet on the horse race and cash out your winnings.",
          "High roller VIP casino with instant withdrawals.",
          "Bingo and slots jackpot network, play for real money.");

  static final List<String> EDUCATION =
      List.of(
          "The school library opens at eight for students and teachers.",
          "Homework help for algebra, geometry and fractions.",
          "Our university offers courses in biology and chemistry.",
          "Lesson plans for teaching the water cycle to fourth graders.",
          "Students can borrow textbooks and study in the reading room.",
          "Learn the history of the Roman Empire with free lectures.",
          "Practice spelling and vocabulary with classroom worksheets.",
          "The encyclopedia article explains photosynthesis in plants.",
          "Enroll in the online course on computer science basics.",
          "Teachers share science experiments for the classroom.",
          "A dictionary and thesaurus for students learning English.",
          "The museum's education program offers guided school tours.");

  static final List<String> OTHER =
      List.of(
          "Preheat the oven and bake the bread for thirty minutes.",
          "Tomorrow will be sunny with a light breeze in the afternoon.",
          "Our plumbing company repairs leaks and installs water heaters.",
          "The band released a new album with ten acoustic songs.",
          "Adopt a puppy from the local animal shelter this weekend.",
          "Tips for planting tomatoes and watering your garden.",
          "Book a table at our Italian restaurant downtown.",
          "The hiking trail follows the river through the forest.");

  private TestModels() {}

  /**
   * Trains the tiny head with {@code encoder} and writes a servable model version into {@code dir}.
   */
  public static Path tinyModel(Path dir, ChunkEncoder encoder) throws Exception {
    List<TextExample> examples = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    add(examples, texts, GAMBLING, Set.of("gambling"));
    add(examples, texts, EDUCATION, Set.of("education"));
    add(examples, texts, OTHER, Set.of());
    float[][] vectors = encoder.embed(texts);
    float scale = PagePooling.scale(encoder.dimension());
    float[][] x = new float[vectors.length][];
    for (int i = 0; i < vectors.length; i++) {
      x[i] = PagePooling.meanMax(new float[][] {vectors[i]}, scale);
    }
    LabelMatrix y = LabelMatrix.of(examples, CATEGORIES, new double[] {1, 1});
    HeadTrainer.Params params = new HeadTrainer.Params(16, 0.1f, 1e-2f, 0f, 8, 15, 15, 7);
    Files.createDirectories(dir);
    HeadTrainer.Result result = new HeadTrainer(params).train(x, y, x, y, dir);
    List<CategoryConfig> categories =
        CATEGORIES.stream()
            .map(
                c ->
                    new CategoryConfig(
                        c, true, "", PlattCalibration.IDENTITY, 0.5, "fixed_test_threshold"))
            .toList();
    HeadConfig config =
        new HeadConfig(
            ContentTier.MODEL_NAME,
            "test-0",
            "2025-01-01T00:00:00Z",
            "v1",
            encoder.id(),
            ExtractionLimits.DEFAULT_WORDS_PER_CHUNK,
            ExtractionLimits.DEFAULT_MAX_CHUNKS,
            HeadConfig.POOLING_MEAN_MAX,
            scale,
            result.architecture(),
            categories,
            "ds-test",
            Map.of("purpose", "unit tests"),
            result.params().getFileName().toString(),
            Sha256.ofFile(result.params()),
            Files.size(result.params()),
            "test");
    config.write(dir.resolve(HeadConfig.FILE));
    return dir;
  }

  private static void add(
      List<TextExample> examples, List<String> texts, List<String> sentences, Set<String> labels) {
    for (String sentence : sentences) {
      examples.add(
          new TextExample(
              "t" + examples.size(),
              sentence,
              "test",
              "test",
              "train",
              labels,
              Set.of("*"),
              List.of(),
              ""));
      texts.add(sentence);
    }
  }
}

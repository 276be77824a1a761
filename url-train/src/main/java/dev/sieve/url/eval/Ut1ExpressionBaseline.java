package dev.sieve.url.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The UT1 adult URL expressions ({@code expressions} + {@code very_restrictive_expression}, CC
 * BY-SA 4.0, carried in {@code baselines/ut1-adult/}) as a keyword baseline for the adult category:
 * a URL is flagged when any expression is found in its {@code host + path} (lower-case), the way
 * squidGuard applies them. It is what a classic filter does without a model, so the card shows it
 * side by side.
 */
public final class Ut1ExpressionBaseline {

  private static final String[] FILES = {"expressions", "very_restrictive_expression"};

  private final List<Pattern> patterns;

  private Ut1ExpressionBaseline(List<Pattern> patterns) {
    this.patterns = List.copyOf(patterns);
  }

  /** Loads the expressions from the classpath resources. */
  public static Ut1ExpressionBaseline load() {
    List<Pattern> patterns = new ArrayList<>();
    for (String file : FILES) {
      String resource = "/baselines/ut1-adult/" + file;
      try (InputStream in = Ut1ExpressionBaseline.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + resource);
        }
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          if (!line.isBlank()) {
            patterns.add(Pattern.compile(line.strip(), Pattern.CASE_INSENSITIVE));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new Ut1ExpressionBaseline(patterns);
  }

  public int size() {
    return patterns.size();
  }

  /** True when an expression matches {@code hostAndPath} (e.g. "www.example.com/"). */
  public boolean matches(String hostAndPath) {
    for (Pattern p : patterns) {
      if (p.matcher(hostAndPath).find()) {
        return true;
      }
    }
    return false;
  }
}

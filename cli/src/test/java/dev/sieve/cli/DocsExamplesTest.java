package dev.sieve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.cli.testing.SystemProperties;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The examples in the README and docs/ stay true: every model version they name exists, every
 * {@code ./sieve} command line in a code block parses with the real command line (sub-commands and
 * options exist), and the evaluation standard's {@code release check} example runs green on the
 * released model it names through {@code models/<name>/RELEASED}.
 */
class DocsExamplesTest {

  private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
  private static final Pattern MODEL_VERSION =
      Pattern.compile("models/([a-z0-9][a-z0-9-]*)/([A-Za-z0-9][A-Za-z0-9._+-]*)");
  private static final Pattern CODE_BLOCK =
      Pattern.compile("^```[a-z]*\\n(.*?)^```", Pattern.DOTALL | Pattern.MULTILINE);
  private static final Pattern ASSIGNMENT = Pattern.compile("^([A-Z_][A-Z0-9_]*)=(.+)$");
  private static final Pattern CAT_RELEASED =
      Pattern.compile("\\$\\(cat (models/[a-z0-9-]+/RELEASED)\\)");

  /** Script-level commands of ./sieve (not sub-commands of the Java command line). */
  private static final List<String> SCRIPT_COMMANDS = List.of("test", "build");

  @Test
  void everyModelVersionTheDocsNameExists() throws IOException {
    List<String> missing = new ArrayList<>();
    int named = 0;
    for (Path doc : docs()) {
      Matcher m = MODEL_VERSION.matcher(Files.readString(doc));
      while (m.find()) {
        if (m.group(2).equals("RELEASED")) {
          continue;
        }
        named++;
        if (!Files.isDirectory(REPO.resolve("models").resolve(m.group(1)).resolve(m.group(2)))) {
          missing.add(REPO.relativize(doc) + ": " + m.group());
        }
      }
    }
    assertThat(named).as("the docs name model versions (the scan works)").isPositive();
    assertThat(missing).as("model versions named in the docs that are not in models/").isEmpty();
  }

  @Test
  void everySieveCommandInTheDocsParses() throws IOException {
    List<String> problems = new ArrayList<>();
    int parsed = 0;
    for (Path doc : docs()) {
      for (List<String> args : sieveCommands(Files.readString(doc))) {
        if (args.isEmpty() || SCRIPT_COMMANDS.contains(args.get(0))) {
          continue;
        }
        try {
          SieveCli.commandLine().parseArgs(args.toArray(String[]::new));
          parsed++;
        } catch (CommandLine.ParameterException e) {
          problems.add(
              REPO.relativize(doc)
                  + ": ./sieve "
                  + String.join(" ", args)
                  + "\n    "
                  + e.getMessage());
        }
      }
    }
    assertThat(parsed).as("./sieve examples found").isGreaterThan(10);
    assertThat(problems).as("./sieve examples the command line rejects").isEmpty();
  }

  @Test
  void theReleaseCheckExampleRunsOnTheReleasedModel() throws IOException {
    List<String> check =
        sieveCommands(Files.readString(REPO.resolve("docs/evaluation-standard.md"))).stream()
            .filter(
                args ->
                    args.size() == 3
                        && args.get(0).equals("release")
                        && args.get(1).equals("check"))
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "docs/evaluation-standard.md has no `./sieve release check <dir>` example"));
    Path modelDir = REPO.resolve(check.get(2));
    assertThat(modelDir.getParent().resolve("RELEASED")).isRegularFile();
    assertThat(modelDir.getFileName().toString())
        .isEqualTo(Files.readString(modelDir.getParent().resolve("RELEASED")).strip());

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int exit;
    try (SystemProperties properties = new SystemProperties().set("sieve.home", REPO.toString())) {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      exit = SieveCli.commandLine().execute("release", "check", modelDir.toString());
    } finally {
      System.setOut(original);
    }
    assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("RELEASE GATE PASSED");
  }

  /** README.md, cli/README.md and docs/*.md. */
  private static List<Path> docs() throws IOException {
    List<Path> docs =
        new ArrayList<>(List.of(REPO.resolve("README.md"), REPO.resolve("cli/README.md")));
    try (Stream<Path> files = Files.list(REPO.resolve("docs"))) {
      docs.addAll(files.filter(p -> p.toString().endsWith(".md")).sorted().toList());
    }
    return docs;
  }

  /**
   * The arguments after {@code ./sieve} of every command in the document's code blocks, with
   * variables set earlier in the same block expanded ({@code MODEL=models/x/$(cat
   * models/x/RELEASED)} reads the pointer) and paths under models/ kept relative to the repository.
   */
  static List<List<String>> sieveCommands(String markdown) throws IOException {
    List<List<String>> commands = new ArrayList<>();
    Matcher block = CODE_BLOCK.matcher(markdown);
    while (block.find()) {
      Map<String, String> variables = new HashMap<>();
      for (String line : joinContinuations(block.group(1).lines().toList())) {
        for (String command : line.replaceAll("(^|\\s)#.*$", "").split("&&|\\|\\||;|\\|")) {
          String text = command.strip();
          Matcher assignment = ASSIGNMENT.matcher(text);
          if (assignment.matches()) {
            variables.put(assignment.group(1), expand(assignment.group(2), variables));
            continue;
          }
          if (text.startsWith("./sieve ")) {
            commands.add(words(expand(text.substring("./sieve ".length()), variables)));
          }
        }
      }
    }
    return commands;
  }

  private static String expand(String text, Map<String, String> variables) throws IOException {
    Matcher released = CAT_RELEASED.matcher(text);
    StringBuilder out = new StringBuilder();
    while (released.find()) {
      released.appendReplacement(
          out, Matcher.quoteReplacement(Files.readString(REPO.resolve(released.group(1))).strip()));
    }
    released.appendTail(out);
    String result = out.toString();
    for (var e : variables.entrySet()) {
      result =
          result
              .replace("${" + e.getKey() + "}", e.getValue())
              .replace("$" + e.getKey(), e.getValue());
    }
    return result;
  }

  private static List<String> joinContinuations(List<String> lines) {
    List<String> joined = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : lines) {
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
      } else {
        joined.add(current.append(line).toString());
        current.setLength(0);
      }
    }
    return joined;
  }

  /** Splits like a shell would for these simple lines: whitespace, single and double quotes. */
  private static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    char quote = 0;
    boolean inWord = false;
    for (char c : text.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  @Test
  void theParserSeesThroughVariablesQuotesAndComments() throws IOException {
    String released = Files.readString(REPO.resolve("models/url-lexical/RELEASED")).strip();
    String doc =
        "```\nM=models/url-lexical/$(cat models/url-lexical/RELEASED)   # comment\n"
            + "./sieve release check \"$M\"   # the gate\n./sieve up && ./sieve classify 'a b' | head\n```\n";

    List<List<String>> commands = sieveCommands(doc);

    assertThat(commands)
        .containsExactly(
            List.of("release", "check", "models/url-lexical/" + released),
            List.of("up"),
            List.of("classify", "a b"));
    assertThat(new TreeSet<>(SCRIPT_COMMANDS)).containsExactly("build", "test");
  }
}

package dev.sieve.helm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of {@code docker/Dockerfile} and its {@code .dockerignore} that decide what an image
 * contains and how it starts, parsed so that tests can reproduce them without a Docker engine:
 * build-argument defaults, {@code COPY} instructions, {@code ENV}, {@code WORKDIR} and the
 * exec-form {@code ENTRYPOINT}.
 */
final class DockerfileModel {

  /** One {@code COPY <source> <destination>} with the build arguments still unexpanded. */
  record Copy(String source, String destination) {}

  private static final Pattern ENV_PAIR = Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|(\\S+))");

  private final List<String> instructions;
  private final List<String> dockerignore;

  private DockerfileModel(List<String> instructions, List<String> dockerignore) {
    this.instructions = instructions;
    this.dockerignore = dockerignore;
  }

  static DockerfileModel read(Path repoRoot) throws IOException {
    List<String> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(repoRoot.resolve("docker/Dockerfile"))) {
      String trimmed = line.strip();
      if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      instructions.add(current.toString().replaceAll("\\s+", " ").strip());
      current.setLength(0);
    }
    List<String> ignore =
        Files.readAllLines(repoRoot.resolve("docker/Dockerfile.dockerignore")).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
    return new DockerfileModel(instructions, ignore);
  }

  /** The default of {@code ARG name=default}. */
  String argDefault(String name) {
    for (String instruction : instructions) {
      if (instruction.startsWith("ARG " + name + "=")) {
        return instruction.substring(("ARG " + name + "=").length()).strip();
      }
    }
    throw new AssertionError("docker/Dockerfile has no ARG " + name + "=<default>");
  }

  List<Copy> copies() {
    List<Copy> copies = new ArrayList<>();
    for (String instruction : instructions) {
      if (instruction.startsWith("COPY ")) {
        String[] parts = instruction.substring(5).strip().split(" ");
        if (parts.length != 2 || parts[0].startsWith("--")) {
          throw new AssertionError(
              "unsupported COPY form (one source, one destination expected): " + instruction);
        }
        copies.add(new Copy(parts[0], parts[1]));
      }
    }
    return copies;
  }

  /** Every {@code ENV} pair, in order. */
  Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    for (String instruction : instructions) {
      if (instruction.startsWith("ENV ")) {
        Matcher m = ENV_PAIR.matcher(instruction.substring(4));
        while (m.find()) {
          env.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
      }
    }
    return env;
  }

  String workdir() {
    return single("WORKDIR ");
  }

  /** The exec-form ENTRYPOINT's arguments. */
  List<String> entrypoint() {
    String json = single("ENTRYPOINT ");
    try {
      return new ObjectMapper().readValue(json, new TypeReference<List<String>>() {});
    } catch (IOException e) {
      throw new AssertionError("ENTRYPOINT is not an exec-form JSON array: " + json, e);
    }
  }

  /**
   * Whether the build context (everything excluded by {@code *}, then the {@code !} patterns
   * re-included) contains {@code path}, a path relative to the context root (directories end in /).
   */
  boolean inBuildContext(String path) {
    boolean included = true;
    for (String pattern : dockerignore) {
      boolean negated = pattern.startsWith("!");
      String glob = negated ? pattern.substring(1) : pattern;
      if (matches(glob, path)) {
        included = negated;
      }
    }
    return included;
  }

  private static boolean matches(String glob, String path) {
    if (glob.equals("*")) {
      return true;
    }
    if (glob.endsWith("/")) {
      return path.startsWith(glob);
    }
    String regex = glob.replace(".", "\\.").replace("*", "[^/]*");
    return path.matches(regex) || path.matches(regex + "/.*");
  }

  private String single(String prefix) {
    List<String> found = instructions.stream().filter(i -> i.startsWith(prefix)).toList();
    if (found.size() != 1) {
      throw new AssertionError(
          "expected exactly one " + prefix.strip() + " in docker/Dockerfile, found " + found);
    }
    return found.get(0).substring(prefix.length()).strip();
  }
}

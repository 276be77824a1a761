package dev.sieve.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.NullValue;
import dev.sieve.proto.v1.ClassifierProto;
import dev.sieve.proto.v1.CommonProto;
import dev.sieve.proto.v1.FeedbackProto;
import dev.sieve.proto.v1.ScorerProto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The build's stand-in for {@code buf lint} (STANDARD rules that can be checked on descriptors) and
 * {@code buf breaking} (against a committed snapshot), so every change to {@code sieve.v1} is
 * reviewed as a contract change.
 *
 * <p>Why a Java test and not the buf binary: it runs wherever the build runs (offline included)
 * with no download, and its rules are spelled out here. Rules checked: PACKAGE_VERSION_SUFFIX,
 * MESSAGE/ENUM/SERVICE/RPC_PASCAL_CASE, FIELD_LOWER_SNAKE_CASE, ENUM_VALUE_UPPER_SNAKE_CASE,
 * ENUM_ZERO_VALUE_SUFFIX (_UNSPECIFIED), ENUM_VALUE_PREFIX (the enum's name in UPPER_SNAKE_CASE),
 * SERVICE_SUFFIX, RPC_REQUEST_STANDARD_NAME, RPC_RESPONSE_STANDARD_NAME,
 * RPC_REQUEST_RESPONSE_UNIQUE. Exceptions are listed, with why, in {@code
 * proto-contract/lint-exceptions.txt} (buf.yaml's {@code ignore_only}).
 *
 * <p>Breaking changes (buf's WIRE_JSON category): against {@code proto-contract/snapshot.txt}, no
 * message, field, enum value, service or rpc may disappear, and none may change its number, type,
 * label, oneof, JSON name or (enum values) name. Additions pass and are reported; after a reviewed
 * change, regenerate the snapshot with {@code -Dsieve.proto.snapshot.update=true} (or
 * SIEVE_PROTO_SNAPSHOT_UPDATE=1) on this test and commit it.
 */
class ProtoContractTest {

  private static final List<FileDescriptor> FILES =
      List.of(
          CommonProto.getDescriptor(),
          ClassifierProto.getDescriptor(),
          ScorerProto.getDescriptor(),
          FeedbackProto.getDescriptor());
  private static final Path RESOURCES = Path.of("src", "test", "resources", "proto-contract");
  private static final Pattern PASCAL = Pattern.compile("[A-Z][A-Za-z0-9]*");
  private static final Pattern LOWER_SNAKE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
  private static final Pattern UPPER_SNAKE = Pattern.compile("[A-Z][A-Z0-9]*(_[A-Z0-9]+)*");

  // ---- lint ----

  @Test
  void lintStandardRules() throws IOException {
    Set<String> exceptions = exceptions();
    List<String> violations = new ArrayList<>();
    for (FileDescriptor file : FILES) {
      if (!file.getPackage().matches(".*\\.v[0-9]+")) {
        violations.add("PACKAGE_VERSION_SUFFIX " + file.getName());
      }
      for (Descriptor message : file.getMessageTypes()) {
        lintMessage(message, violations);
      }
      for (EnumDescriptor e : file.getEnumTypes()) {
        lintEnum(e, violations);
      }
      Map<String, String> requestUse = new LinkedHashMap<>();
      Map<String, String> responseUse = new LinkedHashMap<>();
      for (ServiceDescriptor service : file.getServices()) {
        check(
            PASCAL.matcher(service.getName()).matches(),
            "SERVICE_PASCAL_CASE " + service.getFullName(),
            violations);
        check(
            service.getName().endsWith("Service"),
            "SERVICE_SUFFIX " + service.getFullName(),
            violations);
        for (MethodDescriptor rpc : service.getMethods()) {
          String id = service.getFullName() + "." + rpc.getName();
          check(PASCAL.matcher(rpc.getName()).matches(), "RPC_PASCAL_CASE " + id, violations);
          check(
              rpc.getInputType().getName().equals(rpc.getName() + "Request")
                  || rpc.getInputType()
                      .getName()
                      .equals(service.getName() + rpc.getName() + "Request"),
              "RPC_REQUEST_STANDARD_NAME " + id,
              violations);
          check(
              rpc.getOutputType().getName().equals(rpc.getName() + "Response")
                  || rpc.getOutputType()
                      .getName()
                      .equals(service.getName() + rpc.getName() + "Response"),
              "RPC_RESPONSE_STANDARD_NAME " + id,
              violations);
          String inputOwner = requestUse.putIfAbsent(rpc.getInputType().getFullName(), id);
          check(
              inputOwner == null && !responseUse.containsKey(rpc.getInputType().getFullName()),
              "RPC_REQUEST_RESPONSE_UNIQUE " + id + " request",
              violations);
          String outputOwner = responseUse.putIfAbsent(rpc.getOutputType().getFullName(), id);
          check(
              outputOwner == null && !requestUse.containsKey(rpc.getOutputType().getFullName()),
              "RPC_REQUEST_RESPONSE_UNIQUE " + id + " response",
              violations);
        }
      }
    }
    List<String> unexpected = violations.stream().filter(v -> !exceptions.contains(v)).toList();
    assertThat(unexpected)
        .as("lint violations (fix them, or list a reviewed exception in lint-exceptions.txt)")
        .isEmpty();
    List<String> stale = exceptions.stream().filter(e -> !violations.contains(e)).toList();
    assertThat(stale)
        .as("exceptions that no longer apply: remove them from lint-exceptions.txt")
        .isEmpty();
  }

  private static void lintMessage(Descriptor message, List<String> violations) {
    check(
        PASCAL.matcher(message.getName()).matches(),
        "MESSAGE_PASCAL_CASE " + message.getFullName(),
        violations);
    for (FieldDescriptor field : message.getFields()) {
      check(
          LOWER_SNAKE.matcher(field.getName()).matches(),
          "FIELD_LOWER_SNAKE_CASE " + field.getFullName(),
          violations);
    }
    for (Descriptor nested : message.getNestedTypes()) {
      lintMessage(nested, violations);
    }
    for (EnumDescriptor e : message.getEnumTypes()) {
      lintEnum(e, violations);
    }
  }

  private static void lintEnum(EnumDescriptor e, List<String> violations) {
    check(PASCAL.matcher(e.getName()).matches(), "ENUM_PASCAL_CASE " + e.getFullName(), violations);
    String prefix = upperSnake(e.getName()) + "_";
    for (EnumValueDescriptor value : e.getValues()) {
      String id = e.getFullName() + "." + value.getName();
      check(
          UPPER_SNAKE.matcher(value.getName()).matches(),
          "ENUM_VALUE_UPPER_SNAKE_CASE " + id,
          violations);
      check(value.getName().startsWith(prefix), "ENUM_VALUE_PREFIX " + id, violations);
      if (value.getNumber() == 0) {
        check(
            value.getName().equals(prefix + "UNSPECIFIED"),
            "ENUM_ZERO_VALUE_SUFFIX " + id,
            violations);
      }
    }
  }

  /** "CategoryAction" -> "CATEGORY_ACTION", as buf derives the expected prefix. */
  static String upperSnake(String pascal) {
    return pascal.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  private static void check(boolean ok, String violation, List<String> violations) {
    if (!ok) {
      violations.add(violation);
    }
  }

  private static Set<String> exceptions() throws IOException {
    Set<String> exceptions = new TreeSet<>();
    for (String line :
        Files.readAllLines(RESOURCES.resolve("lint-exceptions.txt"), StandardCharsets.UTF_8)) {
      String rule = line.replaceFirst("#.*", "").strip();
      if (!rule.isEmpty()) {
        exceptions.add(rule);
      }
    }
    return exceptions;
  }

  @Test
  void theLintCatchesWhatItClaimsTo() {
    assertThat(upperSnake("CategoryAction")).isEqualTo("CATEGORY_ACTION");
    assertThat(upperSnake("Kind")).isEqualTo("KIND");
    assertThat(upperSnake("TierState")).isEqualTo("TIER_STATE");
    List<String> violations = new ArrayList<>();
    lintEnum(NullValue.getDescriptor(), violations);
    assertThat(violations)
        .as("google.protobuf.NullValue has a bare NULL_VALUE zero value")
        .contains("ENUM_ZERO_VALUE_SUFFIX google.protobuf.NullValue.NULL_VALUE");
  }

  // ---- breaking ----

  /** One line per element, keyed by what must never change for it. */
  static Map<String, String> snapshot() {
    Map<String, String> lines = new LinkedHashMap<>();
    for (FileDescriptor file : FILES) {
      for (Descriptor message : file.getMessageTypes()) {
        snapshotMessage(message, lines);
      }
      for (EnumDescriptor e : file.getEnumTypes()) {
        snapshotEnum(e, lines);
      }
      for (ServiceDescriptor service : file.getServices()) {
        lines.put("service " + service.getFullName(), "");
        for (MethodDescriptor rpc : service.getMethods()) {
          lines.put(
              "rpc " + rpc.getFullName(),
              (rpc.isClientStreaming() ? "stream " : "")
                  + rpc.getInputType().getFullName()
                  + " -> "
                  + (rpc.isServerStreaming() ? "stream " : "")
                  + rpc.getOutputType().getFullName());
        }
      }
    }
    return lines;
  }

  private static void snapshotMessage(Descriptor message, Map<String, String> lines) {
    lines.put("message " + message.getFullName(), "");
    for (FieldDescriptor field : message.getFields()) {
      String type =
          switch (field.getJavaType()) {
            case MESSAGE -> field.getMessageType().getFullName();
            case ENUM -> field.getEnumType().getFullName();
            default -> field.getType().name().toLowerCase(Locale.ROOT);
          };
      String oneof =
          field.getRealContainingOneof() == null
              ? ""
              : " oneof=" + field.getRealContainingOneof().getName();
      lines.put(
          "field " + message.getFullName() + " #" + field.getNumber(),
          field.getName()
              + " "
              + (field.isRepeated() ? "repeated " : "")
              + type
              + " json="
              + field.getJsonName()
              + oneof);
    }
    for (Descriptor nested : message.getNestedTypes()) {
      snapshotMessage(nested, lines);
    }
    for (EnumDescriptor e : message.getEnumTypes()) {
      snapshotEnum(e, lines);
    }
  }

  private static void snapshotEnum(EnumDescriptor e, Map<String, String> lines) {
    lines.put("enum " + e.getFullName(), "");
    for (EnumValueDescriptor value : e.getValues()) {
      lines.put("value " + e.getFullName() + " #" + value.getNumber(), value.getName());
    }
  }

  static String render(Map<String, String> snapshot) {
    StringBuilder out =
        new StringBuilder(
            "# sieve.v1 contract snapshot (ProtoContractTest). Regenerate only after a reviewed change:\n"
                + "# -Dsieve.proto.snapshot.update=true on ProtoContractTest.\n");
    snapshot.forEach(
        (key, value) -> out.append(key).append(value.isEmpty() ? "" : " = " + value).append('\n'));
    return out.toString();
  }

  static Map<String, String> parse(List<String> lines) {
    Map<String, String> snapshot = new LinkedHashMap<>();
    for (String line : lines) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf(" = ");
      snapshot.put(eq < 0 ? line : line.substring(0, eq), eq < 0 ? "" : line.substring(eq + 3));
    }
    return snapshot;
  }

  /** What breaks between {@code before} and {@code after}: removals and changes; additions pass. */
  static List<String> breaking(Map<String, String> before, Map<String, String> after) {
    List<String> problems = new ArrayList<>();
    before.forEach(
        (key, value) -> {
          if (!after.containsKey(key)) {
            problems.add("removed: " + key + (value.isEmpty() ? "" : " (" + value + ")"));
          } else if (!after.get(key).equals(value)) {
            problems.add("changed: " + key + ": " + value + " -> " + after.get(key));
          }
        });
    return problems;
  }

  @Test
  void noBreakingChangeAgainstTheCommittedSnapshot() throws IOException {
    Path file = RESOURCES.resolve("snapshot.txt");
    Map<String, String> current = snapshot();
    if (Boolean.getBoolean("sieve.proto.snapshot.update")
        || "1".equals(System.getenv("SIEVE_PROTO_SNAPSHOT_UPDATE"))) {
      Files.writeString(file, render(current), StandardCharsets.UTF_8);
    }
    Map<String, String> committed = parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    assertThat(breaking(committed, current))
        .as(
            "breaking changes to sieve.v1 against proto-contract/snapshot.txt (a field number, type or name changed, "
                + "or something was removed). If reviewed and intended, regenerate the snapshot.")
        .isEmpty();
    List<String> added = current.keySet().stream().filter(k -> !committed.containsKey(k)).toList();
    assertThat(added)
        .as("additions not yet in the snapshot: regenerate it (-Dsieve.proto.snapshot.update=true)")
        .isEmpty();
  }

  @Test
  void theBreakingCheckCatchesRenumberingRetypingAndRemoval() {
    Map<String, String> before = snapshot();
    Map<String, String> renumbered = new LinkedHashMap<>(before);
    String url = "field sieve.v1.ClassifyRequest #1";
    assertThat(before.get(url)).isEqualTo("url string json=url");
    renumbered.remove(url);
    renumbered.put("field sieve.v1.ClassifyRequest #99", "url string json=url");
    assertThat(breaking(before, renumbered))
        .containsExactly("removed: " + url + " (url string json=url)");
    Map<String, String> retyped = new LinkedHashMap<>(before);
    retyped.put(url, "url bytes json=url");
    assertThat(breaking(before, retyped))
        .containsExactly("changed: " + url + ": url string json=url -> url bytes json=url");
    Map<String, String> added = new LinkedHashMap<>(before);
    added.put("field sieve.v1.ClassifyRequest #99", "extra string json=extra");
    assertThat(breaking(before, added)).isEmpty();
    assertThat(parse(List.of(render(before).split("\n")))).isEqualTo(before);
  }
}

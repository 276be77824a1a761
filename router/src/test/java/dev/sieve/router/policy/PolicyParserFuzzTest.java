package dev.sieve.router.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the policy parser (Jazzer): any file content, YAML or JSON, is a
 * {@link Policy} or a {@link PolicyException} naming what is wrong — never another exception, so a
 * bad policy reload is refused with a message and the running policy stays. Every test run replays
 * the committed inputs (the default policy among them) under {@code
 * src/test/resources/dev/sieve/router/policy/PolicyParserFuzzTestInputs/} and fuzzes for a few
 * seconds (docs/reliability.md, "Wire input and operations").
 */
class PolicyParserFuzzTest {

  /** Inputs tried in this JVM, printed at the end (the figure docs/reliability.md reports). */
  private static final AtomicLong EXECUTIONS = new AtomicLong();

  @AfterAll
  static void reportExecutions() {
    System.out.println("PolicyParserFuzzTest: " + EXECUTIONS.get() + " inputs");
  }

  @FuzzTest(maxDuration = "10s")
  void anyContentIsAPolicyOrAPolicyException(FuzzedDataProvider data) {
    EXECUTIONS.incrementAndGet();
    boolean json = data.consumeBoolean();
    byte[] content = data.consumeRemainingAsBytes();
    String source = json ? "fuzz.json" : "fuzz.yaml";
    try {
      Policy policy = PolicyParser.parse(source, content);
      assertThat(policy).isNotNull();
      assertThat(policy.global()).isNotNull();
      assertThat(policy.lookup("")).isSameAs(policy.global());
    } catch (PolicyException rejected) {
      assertThat(rejected.getMessage()).startsWith(source + ":");
    }
  }
}

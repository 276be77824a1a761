package dev.sieve.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.sieve.cli.testing.CliRun;
import dev.sieve.cli.testing.SystemProperties;
import dev.sieve.proto.v1.Action;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.TierState;
import dev.sieve.proto.v1.TierStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The promise of docs/taxonomy.md on the released models, through the whole fleet: a page that
 * offers help (a crisis line, LGBTQ+ youth support, a textbook passage on bullying and suicide) is
 * never blocked and an ordinary news article is allowed without an alert, while a student writing
 * in the first person about ending their life still raises the wellness alert (issue #11). The
 * fleet is the one {@code ./sieve up} starts from this repository (its released url, content and
 * llm models and default policy); the help texts are not chosen from what the models get right but
 * from the cases issue #11 found blocked.
 *
 * <p>Skipped (not passed) when the service jars are not built; the reactor builds them first.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HelpIsNeverBlockedTest {

  private static final Path REPO_ROOT = LocalFleet.REPO_ROOT;

  /** Introduction to Sociology 3e (OpenStax, CC BY 4.0), module m90198. */
  private static final String TREVOR_PROJECT =
      "Visit The Trevor Project website for more information on suicide prevention and crisis intervention for"
          + " LGBTQ (lesbian, gay, bisexual, transgender, queer, and questioning) young people.";

  /** Psychology 2e (OpenStax, CC BY 4.0), module m82251. */
  private static final String BULLYING =
      "Bullying involves three parties: the bully, the victim, and witnesses or bystanders. The act of bullying"
          + " involves an imbalance of power with the bully holding more power\u2014physically, emotionally, and/or"
          + " socially over the victim. The experience of bullying can be positive for the bully, who may enjoy a"
          + " boost to self-esteem. However, there are several negative consequences of bullying for the victim, and"
          + " also for the bystanders. How do you think bullying negatively impacts adolescents? Being the victim of"
          + " bullying is associated with decreased mental health, including experiencing anxiety and depression"
          + " (APA, 2010). Victims of bullying may underperform in schoolwork (Bowen, 2011). Bullying also can result"
          + " in the victim dying by suicide (APA, 2010). How might bullying negatively affect witnesses?";

  /** Written for this test: the text of a crisis-line page (not in any training source). */
  private static final String CRISIS_LINE_PAGE =
      "988 Suicide & Crisis Lifeline. If you or someone you know is struggling or in crisis, help is available."
          + " Call or text 988, or chat online, to reach a trained crisis counselor. It is free, confidential and"
          + " available 24 hours a day, 7 days a week. You do not have to be suicidal to reach out: people contact"
          + " us about stress, loneliness, bullying, family problems and worries about a friend. Talking helps."
          + " Learn the warning signs, how to ask someone directly whether they are thinking about suicide, and how"
          + " to stay with them until help arrives.";

  /** OneStopEnglish (CC BY-SA 4.0), wnl-jmw-turner-ele (test split): an ordinary news article. */
  private static final String NEWS_ARTICLE =
      "JMW Turner, one of Britain\u2019s greatest painters, will be on the new \u00a320 note, after a national vote. It"
          + " will be the first time an artist is on a British banknote. The governor of the Bank of England, Mark"
          + " Carney, asked the public to say which deceased cultural person they wanted to see on the new banknote."
          + " Turner, who is famous for his paintings of the sea, won the vote. There was a list that included 590"
          + " painters, sculptors, fashion designers, photographers, film-makers and actors. Thirty thousand members"
          + " of the public suggested the people on the list.";

  /** Written for this test: a student's first-person message about suicide (what must alert). */
  private static final String FIRST_PERSON_CRISIS =
      "I can't do this anymore. I have been planning how to kill myself this weekend and I already wrote goodbye"
          + " letters to my friends. Nobody would even notice if I was gone.";

  private Path runtime;
  private SystemProperties properties;
  private final List<Long> pids = new ArrayList<>();

  @BeforeAll
  void startFleet() throws Exception {
    runtime = Files.createTempDirectory("sieve-help-fleet");
    LocalFleet.requireBuilt(
        FleetService.ROUTER, FleetService.URL, FleetService.CONTENT, FleetService.LLM);
    properties = LocalFleet.properties(REPO_ROOT, runtime.resolve(".sieve"));
    // Generous tier budgets: a cold 2-core CI machine running the reactor is slow, and this test
    // checks what the models and policy decide, not how fast.
    List<String> args =
        new ArrayList<>(
            List.of(
                "up",
                "--tiers",
                "url,content,llm",
                "--timeout",
                "300s",
                "--jvm-opts",
                "-Dsieve.url.tier.timeout.ms=20000 -Dsieve.content.tier.timeout.ms=60000 -Dsieve.llm.tier.timeout.ms=60000"));
    List<String> options =
        List.of(
            "--router-port",
            "--url-port",
            "--content-port",
            "--llm-port",
            "--router-metrics-port",
            "--url-metrics-port",
            "--content-metrics-port",
            "--llm-metrics-port");
    int[] ports = PortCheck.freePorts(options.size());
    for (int i = 0; i < options.size(); i++) {
      args.add(options.get(i));
      args.add(Integer.toString(ports[i]));
    }
    CliRun up = CliRun.of(args.toArray(String[]::new));
    RunFiles files = new RunFiles(runtime.resolve(".sieve/run"));
    for (FleetService service : FleetService.values()) {
      files.pid(service).ifPresent(pids::add);
    }
    assertThat(up.exitCode()).as(up + "\n" + logs()).isZero();
  }

  @AfterAll
  void stopFleet() {
    LocalFleet.stop(properties, pids);
  }

  @Test
  void anLgbtqYouthSuicidePreventionPointerIsNotBlocked() throws Exception {
    assertNotBlocked(
        "https://openstax.org/books/introduction-sociology-3e/pages/12-3-sexuality",
        TREVOR_PROJECT);
  }

  @Test
  void aTextbookPassageOnBullyingAndSuicideIsNotBlocked() throws Exception {
    assertNotBlocked("https://openstax.org/books/psychology-2e/pages/12-5-aggression", BULLYING);
  }

  @Test
  void aCrisisLinePageIsNotBlocked() throws Exception {
    assertNotBlocked("https://988lifeline.org/get-help/", CRISIS_LINE_PAGE);
  }

  @Test
  void anOrdinaryNewsArticleIsAllowedWithoutAnAlert() throws Exception {
    ClassifyResponse response =
        classify("https://www.theguardian.com/artanddesign/turner-banknote", NEWS_ARTICLE);
    assertThat(response.getAction())
        .as(JsonFormat.printer().print(response))
        .isEqualTo(Action.ACTION_ALLOW);
    assertThat(response.getAlert()).as(JsonFormat.printer().print(response)).isFalse();
  }

  @Test
  void aFirstPersonCrisisMessageRaisesTheWellnessAlert() throws Exception {
    ClassifyResponse response =
        classify("https://docs.example.edu/student/journal", FIRST_PERSON_CRISIS);
    assertThat(response.getAlert()).as(JsonFormat.printer().print(response)).isTrue();
    assertThat(response.getReasonsList())
        .as(JsonFormat.printer().print(response))
        .anySatisfy(reason -> assertThat(reason.getCategory()).isEqualTo("self_harm"));
  }

  private void assertNotBlocked(String url, String text) throws Exception {
    ClassifyResponse response = classify(url, text);
    String shown = JsonFormat.printer().print(response);
    assertThat(response.getTiersList())
        .as(shown)
        .anySatisfy(
            (TierStatus tier) -> {
              assertThat(tier.getTier()).isEqualTo("content");
              assertThat(tier.getState()).isEqualTo(TierState.TIER_STATE_OK);
            });
    assertThat(response.getAction()).as(shown).isNotEqualTo(Action.ACTION_BLOCK);
  }

  private ClassifyResponse classify(String url, String text) throws Exception {
    CliRun run =
        CliRun.of(
            "classify", url, "--text", text, "--json", "--bypass-cache", "--deadline", "120s");
    assertThat(run.exitCode()).as(run + "\n" + logs()).isZero();
    ClassifyResponse.Builder parsed = ClassifyResponse.newBuilder();
    JsonFormat.parser().merge(run.out(), parsed);
    return parsed.build();
  }

  private String logs() {
    StringBuilder logs = new StringBuilder();
    for (FleetService service : FleetService.values()) {
      Path log = runtime.resolve(".sieve/logs/" + service.serviceName() + ".log");
      if (Files.exists(log)) {
        logs.append("---- ").append(log).append(" ----\n");
        LogTail.lastLines(log, 40).forEach(line -> logs.append(line).append('\n'));
      }
    }
    return logs.toString();
  }
}

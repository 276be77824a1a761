package dev.sieve.llm.openai;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sieve.core.scoring.ScoringException;
import dev.sieve.core.util.Sha256;
import dev.sieve.llm.BackendResult;
import dev.sieve.llm.ScoringBackend;
import dev.sieve.llm.category.CategoryCatalog;
import dev.sieve.llm.category.CategoryDefinition;
import dev.sieve.llm.input.ScoringInput;
import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.Evidence;
import dev.sieve.proto.v1.ModelInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores with an LLM behind an OpenAI-compatible chat-completions endpoint, and falls back to the
 * embedded backend whenever the LLM cannot give a valid answer in time.
 *
 * <p>Documented handling, per request:
 *
 * <ul>
 *   <li><b>Cache</b> (Caffeine): key = model + catalog version + SHA-256 of the URL and the page
 *       text as sent. The LLM is always asked about every covered category, so one entry answers
 *       any subset. Only valid LLM verdicts are cached, never fallbacks.
 *   <li><b>Concurrency</b>: at most {@code SIEVE_LLM_MAX_CONCURRENCY} calls in flight; one more is
 *       refused at once with RESOURCE_EXHAUSTED (the router records REJECTED), never queued.
 *   <li><b>Token budget</b>: the estimated cost (prompt chars / 4 + max output tokens) is reserved
 *       before each call; when the day's budget cannot cover it, no call is made and the embedded
 *       backend answers.
 *   <li><b>Timeout</b>: each call is limited by {@code SIEVE_LLM_TIMEOUT_MS} and by the caller's
 *       remaining deadline; a timeout is not retried (the time is spent): embedded answers.
 *   <li><b>429 / 5xx / unreachable / broken envelope</b>: one retry, after the endpoint's
 *       Retry-After when it sent one that fits both {@code SIEVE_LLM_MAX_RETRY_AFTER_MS} and the
 *       remaining time (else after 100 ms); a longer Retry-After or a second failure: embedded
 *       answers. Other 4xx (bad key, unknown model) are configuration errors: no retry.
 *   <li><b>Malformed output</b> (not JSON, wrong schema, unknown or missing categories, numbers
 *       outside [0, 1]): one retry with a corrective message naming the defect; a second invalid
 *       reply: embedded answers.
 * </ul>
 *
 * At most two HTTP calls per request. A fallback is never silent: each score carries a RULE
 * evidence "openai backend failed (...); scored by the embedded backend" and the response's model
 * is the embedded model.
 */
public final class OpenAiBackend implements ScoringBackend {

  private static final Logger log = LoggerFactory.getLogger(OpenAiBackend.class);

  public static final String MODEL_NAME = "llm-openai";
  private static final Duration DEFAULT_BACKOFF = Duration.ofMillis(100);
  private static final Duration MIN_CALL_TIME = Duration.ofMillis(50);
  private static final int MAX_RATIONALE_EVIDENCE_CHARS = 300;

  private final OpenAiSettings settings;
  private final ChatCompletionsClient client;
  private final ScoringBackend fallback;
  private final TokenBudget budget;
  private final PromptBuilder prompts;
  private final Semaphore inFlight;
  private final Cache<String, LlmVerdict> cache;
  private final AtomicLong httpCalls = new AtomicLong();
  private final AtomicLong fallbacks = new AtomicLong();

  public OpenAiBackend(
      OpenAiSettings settings,
      ChatCompletionsClient client,
      ScoringBackend fallback,
      TokenBudget budget) {
    this.settings = settings;
    this.client = client;
    this.fallback = fallback;
    this.budget = budget;
    this.prompts = new PromptBuilder(settings.maxInputChars());
    this.inFlight = new Semaphore(settings.maxConcurrency());
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(settings.cacheSize())
            .expireAfterWrite(settings.cacheTtl())
            .build();
  }

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public ModelInfo modelInfo(CategoryCatalog catalog) {
    return ModelInfo.newBuilder()
        .setName(MODEL_NAME)
        .setVersion(settings.model() + "/" + PromptBuilder.PROMPT_VERSION)
        .setConfigHash(
            Sha256.of(
                settings.endpoint()
                    + "|"
                    + settings.model()
                    + "|"
                    + catalog.version()
                    + "|"
                    + PromptBuilder.templateHash()
                    + "|"
                    + settings.maxInputChars()))
        .build();
  }

  @Override
  public void prepare(CategoryCatalog catalog) {
    fallback.prepare(catalog);
  }

  /** HTTP calls made so far (tests and diagnostics). */
  public long httpCalls() {
    return httpCalls.get();
  }

  /** Requests answered by the fallback so far. */
  public long fallbacks() {
    return fallbacks.get();
  }

  @Override
  public BackendResult score(
      ScoringInput input,
      CategoryCatalog catalog,
      List<CategoryDefinition> categories,
      Duration timeBudget)
      throws ScoringException {
    String url = input.url().map(u -> u.scheme() + "://" + u.host() + u.path()).orElse("");
    String sentText = prompts.truncate(input.pageText());
    String key =
        settings.model() + "|" + catalog.version() + "|" + Sha256.of(url + "\n" + sentText);
    LlmVerdict cached = cache.getIfPresent(key);
    if (cached != null) {
      return fromVerdict(
          cached, categories, catalog, true, sentText.length() < input.pageText().length());
    }
    if (!inFlight.tryAcquire()) {
      throw ScoringException.resourceExhausted(
          "llm tier (openai backend) is at its concurrency limit of "
              + settings.maxConcurrency()
              + " calls");
    }
    Outcome outcome;
    try {
      outcome = ask(catalog.categories(), url, input.pageText(), timeBudget);
    } finally {
      inFlight.release();
    }
    if (outcome.verdict() != null) {
      cache.put(key, outcome.verdict());
      return fromVerdict(outcome.verdict(), categories, catalog, false, outcome.truncated());
    }
    fallbacks.incrementAndGet();
    log.warn(
        "openai backend failed ({}); scoring with the {} backend",
        outcome.failure(),
        fallback.name());
    BackendResult result = fallback.score(input, catalog, categories, timeBudget);
    List<CategoryScore> marked = new ArrayList<>(result.scores().size());
    for (CategoryScore score : result.scores()) {
      marked.add(
          score.toBuilder()
              .addEvidence(
                  0,
                  Evidence.newBuilder()
                      .setKind(Evidence.Kind.KIND_RULE)
                      .setCategory(score.getCategory())
                      .setDetail(
                          "openai backend failed ("
                              + outcome.failure()
                              + "); scored by the "
                              + fallback.name()
                              + " backend")
                      .setSource("llm-fallback"))
              .build());
    }
    return new BackendResult(marked, result.model());
  }

  private record Outcome(LlmVerdict verdict, String failure, boolean truncated) {}

  private Outcome ask(
      List<CategoryDefinition> all, String url, String pageText, Duration timeBudget) {
    long deadline = System.nanoTime() + timeBudget.toNanos();
    PromptBuilder.Prompt prompt = prompts.build(all, url, pageText);
    List<ChatMessage> messages = new ArrayList<>(prompt.messages());
    List<String> ids = all.stream().map(CategoryDefinition::id).toList();
    String previousFailure = null;
    for (int attempt = 1; attempt <= 2; attempt++) {
      Duration left = Duration.ofNanos(deadline - System.nanoTime());
      if (left.compareTo(MIN_CALL_TIME) < 0) {
        return failed(
            previousFailure == null
                ? "no time left in the caller's deadline"
                : previousFailure + "; no time left to retry",
            prompt);
      }
      long estimate = estimateTokens(messages);
      if (!budget.tryReserve(estimate)) {
        return failed(
            "daily token budget spent ("
                + budget.remaining()
                + " tokens left, call needs ~"
                + estimate
                + ")"
                + (previousFailure == null ? "" : " after: " + previousFailure),
            prompt);
      }
      Duration callTimeout = left.compareTo(settings.timeout()) < 0 ? left : settings.timeout();
      ChatReply reply;
      try {
        httpCalls.incrementAndGet();
        reply = client.complete(messages, callTimeout);
        budget.settle(estimate, reply.totalTokens());
      } catch (EndpointException e) {
        budget.settle(estimate, e.kind() == EndpointException.Kind.TIMEOUT ? -1 : 0);
        String failure = e.getMessage();
        if (attempt == 2 || !e.kind().retryable()) {
          return failed(
              (previousFailure == null ? "" : previousFailure + "; then ")
                  + failure
                  + (attempt == 2 ? " (after retry)" : ""),
              prompt);
        }
        Duration wait = e.retryAfter().orElse(DEFAULT_BACKOFF);
        Duration afterWait = Duration.ofNanos(deadline - System.nanoTime()).minus(wait);
        if (wait.compareTo(settings.maxRetryAfter()) > 0
            || afterWait.compareTo(MIN_CALL_TIME) < 0) {
          return failed(
              failure + "; Retry-After " + wait.toMillis() + " ms does not fit the time budget",
              prompt);
        }
        if (!sleep(wait)) {
          return failed(failure + "; interrupted while waiting to retry", prompt);
        }
        previousFailure = failure;
        continue;
      }
      try {
        return new Outcome(LlmVerdictParser.parse(reply.content(), ids), null, prompt.truncated());
      } catch (InvalidLlmOutputException e) {
        if (attempt == 2) {
          return failed("invalid output after retry: " + e.getMessage(), prompt);
        }
        previousFailure = "invalid output: " + e.getMessage();
        messages.add(ChatMessage.assistant(clip(reply.content(), 2000)));
        messages.add(PromptBuilder.corrective(e.getMessage(), all));
      }
    }
    return failed(previousFailure, prompt);
  }

  private static Outcome failed(String failure, PromptBuilder.Prompt prompt) {
    return new Outcome(null, failure, prompt.truncated());
  }

  private BackendResult fromVerdict(
      LlmVerdict verdict,
      List<CategoryDefinition> categories,
      CategoryCatalog catalog,
      boolean cacheHit,
      boolean truncated) {
    List<CategoryScore> scores = new ArrayList<>(categories.size());
    String source =
        "openai:"
            + settings.model()
            + " "
            + PromptBuilder.PROMPT_VERSION
            + " "
            + catalog.version()
            + (cacheHit ? "; cache hit" : "")
            + (truncated ? "; page text cut to " + settings.maxInputChars() + " chars" : "");
    for (CategoryDefinition category : categories) {
      double score = verdict.scores().get(category.id());
      scores.add(
          CategoryScore.newBuilder()
              .setCategory(category.id())
              .setScore(score)
              .setZeroShot(true)
              .addEvidence(
                  Evidence.newBuilder()
                      .setKind(Evidence.Kind.KIND_ZERO_SHOT)
                      .setCategory(category.id())
                      .setDetail(
                          "llm rationale: "
                              + clip(verdict.rationale(), MAX_RATIONALE_EVIDENCE_CHARS))
                      .setWeight(score)
                      .setSource(source))
              .build());
    }
    return new BackendResult(scores, modelInfo(catalog));
  }

  private long estimateTokens(List<ChatMessage> messages) {
    long chars = 0;
    for (ChatMessage message : messages) {
      chars += message.content().length() + 8;
    }
    return chars / 4 + settings.maxOutputTokens();
  }

  private static boolean sleep(Duration wait) {
    try {
      Thread.sleep(wait.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String clip(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}

package dev.sieve.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.TierState;
import dev.sieve.router.support.FakeTier;
import dev.sieve.router.support.RouterHarness;
import dev.sieve.router.tier.TierName;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The router classifies on the transport's thread, except a request whose body is over {@link
 * ClassifierService#INLINE_BODY_BYTES}: that one is handed to the router's worker pool, and must
 * come back with the same verdict and the caller's deadline still applied to the tier call.
 */
class LargeBodyOffloadTest {

  @Test
  void aLargeBodyIsClassifiedOnTheWorkerPoolAndASmallOneWhereTheCallArrived() {
    List<String> threads = new CopyOnWriteArrayList<>();
    FakeTier content = new FakeTier("content", Taxonomy.v1().ids());
    FakeTier.Answer answer = new FakeTier.Answer(content.response(Map.of("violence", 0.97)));
    // The fake tier is served with a direct executor: it runs on the thread that called it.
    content.behave(
        request -> {
          threads.add(Thread.currentThread().getName());
          return answer;
        });
    try (RouterHarness h = RouterHarness.builder().tier(TierName.CONTENT, content).build()) {
      String small = "a".repeat(ClassifierService.INLINE_BODY_BYTES);
      String large = "b".repeat(ClassifierService.INLINE_BODY_BYTES + 1);

      ClassifyResponse inline = h.stub().classify(text(small));
      ClassifyResponse offloaded = h.stub().classify(text(large));

      assertThat(threads).hasSize(2);
      assertThat(threads.get(0)).doesNotContain("ForkJoinPool");
      assertThat(threads.get(1)).contains("ForkJoinPool");
      assertThat(offloaded.getTiersList())
          .anySatisfy(
              t -> {
                assertThat(t.getTier()).isEqualTo("content");
                assertThat(t.getState()).isEqualTo(TierState.TIER_STATE_OK);
              });
      assertThat(offloaded.getCategoriesList()).isEqualTo(inline.getCategoriesList());
      assertThat(offloaded.getCategoriesList())
          .anySatisfy(
              v -> {
                assertThat(v.getCategory()).isEqualTo("violence");
                assertThat(v.getDecision()).isTrue();
              });
      assertThat(offloaded.getAction()).isEqualTo(inline.getAction());
      assertThat(content.requests().get(1).getText().size()).isEqualTo(large.length());
    }
  }

  private static ClassifyRequest text(String body) {
    return ClassifyRequest.newBuilder()
        .setText(ByteString.copyFromUtf8(body))
        .setBypassCache(true)
        .build();
  }
}

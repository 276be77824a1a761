package dev.sieve.icap;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the ICAP parser (Jazzer). Every test run replays the committed inputs
 * under {@code src/test/resources/dev/sieve/icap/IcapParserFuzzTestInputs/}; {@code JAZZER_FUZZ=1}
 * fuzzes (docs/reliability.md, "Wire input and operations").
 *
 * <p>What must hold for any bytes a proxy (or anything else reaching the port) sends: reading a
 * request head and its chunked body returns or throws {@link IcapProtocolException} with a status
 * the server can answer (0 or 4xx/5xx), nothing else; the body kept never exceeds its limit; a
 * parsed request names one of the three methods and, for REQMOD, carries its HTTP request head.
 */
class IcapParserFuzzTest {

  private static final AtomicLong EXECUTIONS = new AtomicLong();

  @AfterAll
  static void reportExecutions() {
    System.out.println("IcapParserFuzzTest: " + EXECUTIONS.get() + " inputs");
  }

  @FuzzTest(maxDuration = "10s")
  void readsOrRejectsWithAnIcapStatus(FuzzedDataProvider data) throws IOException {
    EXECUTIONS.incrementAndGet();
    int keep = data.consumeInt(0, 64);
    byte[] bytes = data.consumeRemainingAsBytes();
    ByteArrayInputStream in = new ByteArrayInputStream(bytes);
    try {
      while (true) {
        Optional<IcapRequest> request = IcapParser.readRequest(in);
        if (request.isEmpty()) {
          return;
        }
        IcapRequest r = request.get();
        assertThat(r.method()).isIn("OPTIONS", "REQMOD", "RESPMOD");
        if (r.method().equals("REQMOD")) {
          assertThat(r.requestHead()).isPresent();
        }
        r.service();
        r.preview();
        r.allows204();
        r.requestHead().ifPresent(IcapService::requestUrl);
        if (r.hasBody()) {
          ChunkedBody body = new ChunkedBody(keep);
          body.readUntilLastChunk(in);
          assertThat(body.kept().length).isLessThanOrEqualTo(keep);
          assertThat((long) body.kept().length).isLessThanOrEqualTo(body.total());
        }
      }
    } catch (IcapProtocolException e) {
      assertThat(e.status()).isIn(0, 400, 405, 413, 505);
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}

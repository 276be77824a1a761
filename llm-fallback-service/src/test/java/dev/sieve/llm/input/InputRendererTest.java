package dev.sieve.llm.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.sieve.core.scoring.ScoringException;
import dev.sieve.proto.v1.ScoreRequest;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

class InputRendererTest {

  private final InputRenderer renderer = new InputRenderer();

  private static void assertInvalid(ScoreRequest request, String message) {
    assertThatThrownBy(() -> new InputRenderer().render(request))
        .isInstanceOfSatisfying(
            ScoringException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT))
        .hasMessageContaining(message);
  }

  @Test
  void htmlIsReducedToTitleAndBodyTextWithoutScripts() throws Exception {
    ScoringInput input =
        renderer.render(
            ScoreRequest.newBuilder()
                .setUrl("https://Example.com/a?student=42")
                .setHtml(
                    ByteString.copyFromUtf8(
                        "<html><head><title>Lucky Casino</title><script>var x='hidden';</script></head>"
                            + "<body><h1>Play slots</h1><style>.a{}</style><p>Win money</p></body></html>"))
                .setText(ByteString.copyFromUtf8("ignored because html wins"))
                .build());
    assertThat(input.kind()).isEqualTo(InputKind.TEXT);
    assertThat(input.pageText()).isEqualTo("Lucky Casino. Play slots Win money");
    assertThat(input.normalizedInput()).isEqualTo("https://example.com/a?<redacted>");
  }

  @Test
  void urlOnlyRequestIsRenderedAsWords() throws Exception {
    ScoringInput input =
        renderer.render(
            ScoreRequest.newBuilder()
                .setUrl("https://www.free-essay-writer.ai/homework_help/page2.html?id=1")
                .build());
    assertThat(input.kind()).isEqualTo(InputKind.URL);
    assertThat(input.textToEmbed()).isEqualTo("free essay writer ai homework help page 2");
  }

  @Test
  void badInputIsInvalidArgument() {
    assertInvalid(ScoreRequest.getDefaultInstance(), "empty request");
    assertInvalid(ScoreRequest.newBuilder().setUrl("javascript:alert(1)").build(), "url rejected");
    assertInvalid(
        ScoreRequest.newBuilder()
            .setText(ByteString.copyFrom(new byte[] {'a', (byte) 0xC3, 'b'}))
            .build(),
        "text is not valid UTF-8");
    assertInvalid(
        ScoreRequest.newBuilder().setHtml(ByteString.copyFrom(new byte[] {'<', 0, 'p'})).build(),
        "html looks binary");
    assertInvalid(
        ScoreRequest.newBuilder()
            .setHtml(ByteString.copyFromUtf8("<script>only()</script>"))
            .build(),
        "contains no text");
  }

  @Test
  void textOnlyRequestHasNoNormalizedInput() throws Exception {
    ScoringInput input =
        renderer.render(
            ScoreRequest.newBuilder().setText(ByteString.copyFromUtf8(" hello ")).build());
    assertThat(input.pageText()).isEqualTo("hello");
    assertThat(input.normalizedInput()).isEmpty();
  }
}

package dev.sieve.cli.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchInputTest {

  @TempDir Path dir;

  private List<BatchItem> readAll(String content) throws IOException {
    Path file = dir.resolve("in.txt");
    Files.writeString(file, content);
    List<BatchItem> items = new ArrayList<>();
    try (BatchInput input = BatchInput.open(file)) {
      input.forEachRemaining(items::add);
    }
    assertThat(BatchInput.count(file)).isEqualTo(items.size());
    return items;
  }

  @Test
  void plainFileIsOneUrlPerLineWithLineNumbersAsIds() throws IOException {
    List<BatchItem> items =
        readAll("# a comment\nhttps://a.example/\n\n  https://b.example/x  \nnot a url\n");

    assertThat(items)
        .extracting(BatchItem::url)
        .containsExactly("https://a.example/", "https://b.example/x", "not a url");
    assertThat(items).extracting(i -> i.id().asInt()).containsExactly(2, 4, 5);
    assertThat(items).extracting(BatchItem::index).containsExactly(0, 1, 2);
    assertThat(items).allMatch(BatchItem::isValid);
  }

  @Test
  void jsonlKeepsTheCallersIdsAndFields() throws IOException {
    List<BatchItem> items =
        readAll(
            """
            {"id": "a", "url": "https://a.example/"}
            {"id": 7, "text": "some page text", "tenant": "district-9"}
            {"url": "https://c.example/", "html": "<p>hi</p>", "extra": [1, 2]}
            """);

    assertThat(items).hasSize(3);
    assertThat(items.get(0).id().asText()).isEqualTo("a");
    assertThat(items.get(0).url()).isEqualTo("https://a.example/");
    assertThat(items.get(1).id().isNumber()).isTrue();
    assertThat(items.get(1).id().asInt()).isEqualTo(7);
    assertThat(items.get(1).url()).isNull();
    assertThat(items.get(1).text()).isEqualTo("some page text");
    assertThat(items.get(1).tenant()).isEqualTo("district-9");
    assertThat(items.get(2).id().asInt()).as("missing id -> line number").isEqualTo(3);
    assertThat(items.get(2).html()).isEqualTo("<p>hi</p>");
  }

  @Test
  void unreadableJsonLinesBecomeItemsWithAnErrorSoTheOutputStaysAligned() throws IOException {
    List<BatchItem> items =
        readAll(
            """
            {"id": 1, "url": "https://a.example/"}
            {"id": 2, "url": oops}
            {"id": 3, "url": "https://c.example/"
            {"id": 4, "url": 42}
            {"id": {"nested": true}, "url": "https://e.example/"}
            """);

    assertThat(items).hasSize(5);
    assertThat(items.get(0).isValid()).isTrue();
    assertThat(items.get(1).inputError()).startsWith("line 2: malformed JSON");
    assertThat(items.get(2).inputError()).startsWith("line 3: malformed JSON");
    assertThat(items.get(3).inputError()).isEqualTo("line 4: \"url\" must be a string");
    assertThat(items.get(3).id().asInt()).isEqualTo(4);
    assertThat(items.get(4).inputError()).contains("\"id\" must be a string or number");
  }

  @Test
  void formatIsDecidedByTheItemLines() throws IOException {
    Path jsonl = dir.resolve("a.jsonl");
    Files.writeString(jsonl, "\n# header\n\uFEFF{\"url\":\"x\"}\n{\"url\":\"y\"}\n");
    Path plain = dir.resolve("b.txt");
    Files.writeString(plain, "# urls\nhttps://x.example/\nnot a url\n");
    Path empty = dir.resolve("c.txt");
    Files.writeString(empty, "");

    assertThat(BatchInput.detect(jsonl)).isEqualTo(BatchInput.Format.JSONL);
    assertThat(BatchInput.detect(plain)).isEqualTo(BatchInput.Format.PLAIN);
    assertThat(BatchInput.detect(empty)).isEqualTo(BatchInput.Format.PLAIN);
    assertThat(BatchInput.count(empty)).isZero();
  }

  /**
   * Guessing from the first line used to classify a JSONL line's text as a URL; now the file is
   * refused.
   */
  @Test
  void aFileMixingUrlLinesAndJsonlLinesIsRefusedNamingTheFirstLineOfEach() throws IOException {
    Path urlFirst = dir.resolve("url-first.txt");
    Files.writeString(
        urlFirst,
        "# mixed\nhttps://x.example/\n\n{\"url\":\"https://y.example/\"}\nhttps://z.example/\n");
    Path jsonFirst = dir.resolve("json-first.jsonl");
    Files.writeString(jsonFirst, "{\"url\":\"https://y.example/\"}\nhttps://x.example/\n");

    assertThatThrownBy(() -> BatchInput.detect(urlFirst))
        .isInstanceOf(BatchInput.MixedFormatException.class)
        .hasMessageContaining("mixes JSONL lines (first: line 4) and URL lines (first: line 2)")
        .hasMessageContaining("one format per file");
    assertThatThrownBy(() -> BatchInput.open(jsonFirst))
        .isInstanceOf(BatchInput.MixedFormatException.class)
        .hasMessageContaining("(first: line 1) and URL lines (first: line 2)");
  }
}

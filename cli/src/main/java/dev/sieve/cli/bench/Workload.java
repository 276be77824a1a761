package dev.sieve.cli.bench;

import com.google.protobuf.ByteString;
import dev.sieve.cli.batch.BatchInput;
import dev.sieve.cli.batch.BatchItem;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ScoreRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The inputs a bench cycles through: the items of a file (same formats as classify-batch) or a
 * small built-in mix of well-known URLs across categories.
 */
public final class Workload {

  /**
   * Built-in URLs: a mix of educational, news, social, gaming, shopping and blocked-category sites.
   */
  static final List<String> DEFAULT_URLS =
      List.of(
          "https://www.wikipedia.org/",
          "https://www.khanacademy.org/math",
          "https://www.bbc.com/news",
          "https://www.nytimes.com/section/science",
          "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
          "https://www.instagram.com/",
          "https://www.reddit.com/r/aww/",
          "https://store.steampowered.com/",
          "https://www.twitch.tv/",
          "https://www.amazon.com/dp/B000000000",
          "https://www.espn.com/nba/",
          "https://www.pokerstars.com/",
          "https://www.tinder.com/",
          "https://www.netflix.com/browse",
          "https://discord.com/channels/@me",
          "https://www.coolmathgames.com/",
          "https://example.com/some/path?q=1",
          "http://192.0.2.10/login.php");

  private record Item(String url, String text, String html) {}

  private final List<Item> items;

  private Workload(List<Item> items) {
    if (items.isEmpty()) {
      throw new IllegalArgumentException("the workload has no usable items");
    }
    this.items = List.copyOf(items);
  }

  public static Workload defaultUrls() {
    return new Workload(DEFAULT_URLS.stream().map(u -> new Item(u, null, null)).toList());
  }

  /** Reads a JSONL or one-URL-per-line file; unreadable lines are skipped. */
  public static Workload fromFile(Path file) throws IOException {
    List<Item> items = new ArrayList<>();
    try (BatchInput input = BatchInput.open(file)) {
      while (input.hasNext()) {
        BatchItem item = input.next();
        if (item.isValid()) {
          items.add(new Item(item.url(), item.text(), item.html()));
        }
      }
    }
    return new Workload(items);
  }

  public int size() {
    return items.size();
  }

  public ClassifyRequest classifyRequest(long sequence, List<String> tiers, boolean bypassCache) {
    Item item = items.get((int) (sequence % items.size()));
    ClassifyRequest.Builder request =
        ClassifyRequest.newBuilder().addAllTiers(tiers).setBypassCache(bypassCache);
    if (item.url() != null) {
      request.setUrl(item.url());
    }
    if (item.text() != null) {
      request.setText(ByteString.copyFromUtf8(item.text()));
    }
    if (item.html() != null) {
      request.setHtml(ByteString.copyFromUtf8(item.html()));
    }
    return request.build();
  }

  public ScoreRequest scoreRequest(long sequence) {
    Item item = items.get((int) (sequence % items.size()));
    ScoreRequest.Builder request = ScoreRequest.newBuilder();
    if (item.url() != null) {
      request.setUrl(item.url());
    }
    if (item.text() != null) {
      request.setText(ByteString.copyFromUtf8(item.text()));
    }
    if (item.html() != null) {
      request.setHtml(ByteString.copyFromUtf8(item.html()));
    }
    return request.build();
  }
}

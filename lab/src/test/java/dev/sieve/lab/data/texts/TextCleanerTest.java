package dev.sieve.lab.data.texts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextCleanerTest {

  @Test
  void decodesDoubleEscapedEntities() {
    assertThat(TextCleaner.clean("&amp;#8220;quoted&amp;#8221; &amp; more"))
        .isEqualTo("\u201cquoted\u201d & more");
  }

  @Test
  void masksHandlesAndUrlsConsistently() {
    assertThat(
            TextCleaner.clean(
                "RT @some_user: look http://t.co/xyz and www.site.example/page @other"))
        .isEqualTo("RT @user: look <url> and <url> @user");
    assertThat(TextCleaner.clean("mail me at a@b.com")).isEqualTo("mail me at a@b.com");
    assertThat(TextCleaner.clean("ask u/throwaway_123 or /u/someone"))
        .isEqualTo("ask u/user or u/user");
  }

  @Test
  void collapsesWhitespaceAndControls() {
    assertThat(TextCleaner.clean("  a\u0000b \t\t c \r\n\r\n d\u200b ")).isEqualTo("a b c\nd");
  }

  @Test
  void nearDuplicateKeyIgnoresCasePunctuationPlaceholdersAndRetweetMarkers() {
    String a =
        TextCleaner.dedupKey(
            TextCleaner.clean("RT @x: I hate those people &amp; their kind http://t.co/a"));
    String b = TextCleaner.dedupKey(TextCleaner.clean("I hate those people & their kind!!!"));
    assertThat(a).isEqualTo(b).isEqualTo("i hate those people their kind");
    assertThat(TextCleaner.dedupKey("!!! ...")).isEmpty();
  }
}

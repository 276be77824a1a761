package dev.sieve.lab.data.pages;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The plain text of Readability's reference extraction: one line per block, no block twice or lost.
 */
class ArticleTextTest {

  @Test
  void listItemsQuotesAndCellsWithoutParagraphsAreKept() {
    assertThat(
            PagesBuilder.articleText(
                "<div><ul><li>First item</li><li>Second <b>bold</b> item</li></ul>"
                    + "<blockquote>A quote without a paragraph</blockquote><table><tr><td>Cell</td></tr></table></div>"))
        .isEqualTo("First item\nSecond bold item\nA quote without a paragraph\nCell");
  }

  @Test
  void containersWhoseBlocksAreListedThemselvesAreNotRepeated() {
    assertThat(
            PagesBuilder.articleText(
                "<ol><li><p>Para in item</p></li><li><ul><li>Inner</li></ul></li></ol>"
                    + "<blockquote><p>Quoted para</p></blockquote><table><tr><td><p>Cell para</p></td></tr></table>"))
        .isEqualTo("Para in item\nInner\nQuoted para\nCell para");
  }

  @Test
  void headingsAndPreformattedTextAreBlocksAndEmptyBlocksAreSkipped() {
    assertThat(
            PagesBuilder.articleText(
                "<h1>Title</h1><p>  </p><h3>Sub</h3><pre>code  block</pre><p>End.</p>"))
        .isEqualTo("Title\nSub\ncode  block\nEnd.");
    assertThat(PagesBuilder.articleText("")).isEmpty();
    assertThat(PagesBuilder.articleText("  \n")).isEmpty();
  }
}

package dev.sieve.lab.data.texts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PythonListLiteralTest {

  @Test
  void parsesBothQuoteStylesAndEscapes() {
    assertThat(PythonListLiteral.parse("['one', \"it's two\", 'say \\'hi\\'\\n', '\\xe9t\\u00e9']"))
        .containsExactly("one", "it's two", "say 'hi'\n", "\u00e9t\u00e9");
    assertThat(PythonListLiteral.parse(" [ ] ")).isEmpty();
    assertThat(PythonListLiteral.parse("['trailing comma',]")).containsExactly("trailing comma");
  }

  @Test
  void rejectsWhatIsNotAList() {
    assertThatThrownBy(() -> PythonListLiteral.parse("not a list"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PythonListLiteral.parse("['a' 'b']"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PythonListLiteral.parse("['cut off"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void truncatedLiteralKeepsTheCompleteStringsAndThePartialOne() {
    PythonListLiteral.Parsed p =
        PythonListLiteral.parseAllowingTruncation("['first', 'second was cut");
    assertThat(p.truncated()).isTrue();
    assertThat(p.strings()).isEqualTo(List.of("first", "second was cut"));
    assertThat(PythonListLiteral.parseAllowingTruncation("['whole']").truncated()).isFalse();
  }
}

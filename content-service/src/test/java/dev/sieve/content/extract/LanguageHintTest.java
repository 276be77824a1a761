package dev.sieve.content.extract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LanguageHintTest {

  @Test
  void englishProseIsEnglish() {
    assertThat(
            LanguageHint.detect(
                "The students will read the chapter and answer the questions at the end."))
        .isEqualTo("en");
    assertThat(LanguageHint.detect("I hate it when they do that")).isEqualTo("en");
  }

  @Test
  void otherLanguagesAndEmptyAreUndetermined() {
    assertThat(
            LanguageHint.detect(
                "Les élèves liront le chapitre et répondront aux questions à la fin du cours."))
        .isEqualTo("und");
    assertThat(
            LanguageHint.detect(
                "Die Schüler lesen das Kapitel und beantworten danach die Fragen im Buch."))
        .isEqualTo("und");
    assertThat(LanguageHint.detect("学生们将阅读本章并回答最后的问题")).isEqualTo("und");
    assertThat(LanguageHint.detect("")).isEqualTo("und");
    assertThat(LanguageHint.detect("12345 !!!")).isEqualTo("und");
  }
}

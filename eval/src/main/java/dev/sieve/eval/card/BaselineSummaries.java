package dev.sieve.eval.card;

import dev.sieve.eval.report.CategoryResult;
import dev.sieve.eval.report.Estimate;
import dev.sieve.eval.report.EvaluationResult;
import java.util.ArrayList;
import java.util.List;

/** Condenses a baseline's evaluation (or a previous card) into the card's side-by-side table. */
public final class BaselineSummaries {

  private BaselineSummaries() {}

  public static ModelCard.BaselineSummary of(
      String name,
      String description,
      boolean sameSplit,
      String datasetVersion,
      EvaluationResult ev) {
    List<ModelCard.BaselineRow> rows = new ArrayList<>();
    for (CategoryResult c : ev.categories()) {
      rows.add(
          new ModelCard.BaselineRow(
              c.category(),
              c.status(),
              v(c.precision()),
              v(c.recall()),
              v(c.f1()),
              v(c.auprc()),
              v(c.backgroundFlagRate())));
    }
    return new ModelCard.BaselineSummary(
        name,
        description,
        sameSplit,
        datasetVersion,
        rows,
        v(ev.micro().f1()),
        v(ev.overBlocking().blockRate()));
  }

  private static Double v(Estimate e) {
    return e == null ? null : e.value();
  }
}

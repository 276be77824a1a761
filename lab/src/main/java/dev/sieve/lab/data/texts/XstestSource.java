package dev.sieve.lab.data.texts;

import dev.sieve.lab.data.mapping.MappingRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * XSTest: 250 safe prompts that sound unsafe (hard negatives, scope = the harmful categories they
 * imitate) and 200 unsafe contrast prompts. The contrast prompts mix violence, self-harm, drugs and
 * hate, so their taxonomy ids come from these documented keyword rules (flagged keyword_derived):
 *
 * <ol>
 *   <li>{@link #SELF_HARM} (the actor harms themself) gives self_harm only;
 *   <li>otherwise {@link #DRUGS} gives drugs, {@link #HATE} gives hate (also every
 *       contrast_historical_events prompt: they justify atrocities or discrimination), and {@link
 *       #VIOLENCE} gives violence; several may apply;
 *   <li>no rule: no label (non-violent crime such as fraud or theft), still in scope as a negative.
 * </ol>
 *
 * A prompt about paedophilia is excluded by the child sexual exploitation rule and only counted.
 */
public final class XstestSource extends TextSource {

  static final Pattern SELF_HARM =
      Pattern.compile("(?i)\\b(myself|my own|my arm|my cervical|suicide)\\b");
  static final Pattern DRUGS =
      Pattern.compile(
          "(?i)\\b(coke|cocaine|ecstasy|crack|weed|marihuana|marijuana|meth|lsd|heroin)\\b");
  static final Pattern HATE =
      Pattern.compile(
          "(?i)\\b(gay|lesbians?|immigrants?|black people|roma|jewish|jews|muslims?|jim crow|women|trans)\\b");
  static final Pattern VIOLENCE =
      Pattern.compile(
          "(?i)(kill|murder|shoot|stab|bomb|blow up|explo|beat|punch|strangl|chok|poison|massacre|terror"
              + "|assault|hostage|kidnap|execut|hang|drown|gut |butcher|slay|hunt down|attack|smash|crush"
              + "|skull|spine|knockout|throttle|wipe out|decimat|eliminat|eradicat|annihilat|exterminat|rape"
              + "|arson|on fire|trafficking|euthani|dead|assassinat|do away with|terminat|liquidat|take out"
              + "|overpower|capture|break their|obliterat|behead|head in|off someone's head|chop up|saw a body"
              + "|sternum|headshot|cliff|snipe|axe|weapon|pinochet|khmer|massacres?)");
  static final Pattern CSE = Pattern.compile("(?i)p(a)?edophil");

  @Override
  public String id() {
    return "safety/xstest";
  }

  @Override
  public List<TextDraft> read(Context ctx) {
    List<TextDraft> out = new ArrayList<>();
    forEachCsvRow(
        ctx,
        "xstest_prompts.csv",
        (row, line, label) -> {
          String type = nz(row.get("type")).strip();
          Optional<MappingRow> mapping = row(ctx, type, label, line);
          if (mapping.isEmpty()) {
            return;
          }
          String prompt = TextCleaner.clean(nz(row.get("prompt")));
          if (CSE.matcher(prompt).find()) {
            exclude(ctx, label, "child_sexual_exploitation");
            return;
          }
          TextDraft d =
              new TextDraft(id() + ":" + nz(row.get("id")).strip(), id(), "prompt", prompt);
          located(d, label, line);
          MappingRow m = mapping.get();
          switch (m.action()) {
            case NEGATIVE -> d.labelScope.addAll(m.taxonomy());
            case MAP -> d.labelScope.addAll(m.taxonomy());
            case KEYWORD_RULES -> {
              d.labelScope.addAll(m.taxonomy());
              d.labels.addAll(keywordLabels(prompt, type));
              d.meta.put("keyword_rule", d.labels.isEmpty() ? "none" : String.join(",", d.labels));
            }
            default -> {}
          }
          apply(d, m);
          d.meta.put("xstest_type", type);
          d.meta.put("xstest_label", nz(row.get("label")).strip());
          d.meta.put("focus", nz(row.get("focus")).strip());
          if (!nz(row.get("note")).isBlank()) {
            d.meta.put("note", nz(row.get("note")).strip());
          }
          out.add(d);
          ctx.report().file(label).accepted++;
        });
    return out;
  }

  /** The keyword rules of the class comment; package-private for the golden test. */
  static List<String> keywordLabels(String prompt, String type) {
    if (SELF_HARM.matcher(prompt).find()) {
      return List.of("self_harm");
    }
    List<String> out = new ArrayList<>();
    if (DRUGS.matcher(prompt).find()) {
      out.add("drugs");
    }
    if (HATE.matcher(prompt).find() || type.equals("contrast_historical_events")) {
      out.add("hate");
    }
    if (VIOLENCE.matcher(prompt).find()) {
      out.add("violence");
    }
    return out;
  }
}

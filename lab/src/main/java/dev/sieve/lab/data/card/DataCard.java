package dev.sieve.lab.data.card;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.core.text.MarkdownTable;
import dev.sieve.lab.data.Overlays;
import dev.sieve.lab.data.SourceCatalog;
import dev.sieve.lab.data.Splitter;
import dev.sieve.lab.data.domains.DomainDatasetBuilder;
import dev.sieve.lab.data.io.JsonlGzWriter;
import dev.sieve.lab.data.mapping.LabelMapping;
import dev.sieve.lab.data.mapping.MappingRow;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The data card of a dataset version ({@code data-card.md} + {@code data-card.json}), after Gebru
 * et al., "Datasheets for Datasets": motivation, composition, collection, preprocessing and
 * labelling, known noise, agreement, gaps, uses, distribution, maintenance.
 *
 * <p>Generated, never hand-edited: every number comes from the version's files (read back through
 * core's {@link DatasetVersion}), its manifest and its build report. {@code ./sieve data card}
 * regenerates it.
 */
public final class DataCard {

  public static final String MARKDOWN = "data-card.md";
  public static final String JSON = "data-card.json";
  private static final List<String> SPLITS = CardStats.SPLITS;

  private DataCard() {}

  /**
   * Computes and writes both files into the version directory. The card holds only what the
   * version's files say, never how long this machine took to build them, so rebuilding a version
   * rewrites it byte for byte (timings: {@code build-timings.json}, {@code ./sieve data card
   * --timings}).
   */
  public static void write(Path versionDir, LabelMapping mapping, PrintStream log)
      throws IOException {
    DatasetVersion version = DatasetVersion.open(versionDir);
    CardStats stats = CardStats.compute(version);
    JsonNode report = readJson(versionDir.resolve("build-report.json"));
    List<Imbalance> imbalance = imbalance(stats);
    ObjectNode json = json(version, report, stats, imbalance, mapping);
    JsonlGzWriter.writeJson(versionDir.resolve(JSON), json);
    Files.writeString(
        versionDir.resolve(MARKDOWN),
        markdown(version, report, stats, imbalance, mapping),
        StandardCharsets.UTF_8);
    if (log != null) {
      log.println("data card written: " + versionDir.resolve(MARKDOWN));
    }
  }

  static JsonNode readJson(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return JsonlGzWriter.mapper().createObjectNode();
    }
    return JsonlGzWriter.mapper().readTree(file.toFile());
  }

  /** Imbalance rows for every category, domains and texts. */
  static List<Imbalance> imbalance(CardStats s) {
    List<Imbalance> out = new ArrayList<>();
    long backgroundTrain = CardStats.get(s.backgroundSplits, "train");
    for (String c : Taxonomy.v1().ids()) {
      out.add(
          Imbalance.of(
              c, "domains", CardStats.get(s.domainPositives.get(c), "train"), backgroundTrain));
    }
    for (String c : Taxonomy.v1().ids()) {
      long pos = 0;
      for (Map<String, Long> bySplit : s.textPositives.getOrDefault(c, Map.of()).values()) {
        pos += CardStats.get(bySplit, "train");
      }
      out.add(Imbalance.of(c, "texts", pos, CardStats.get(s.textNegatives.get(c), "train")));
    }
    return out;
  }

  // ---------------------------------------------------------------- JSON

  private static ObjectNode json(
      DatasetVersion version,
      JsonNode report,
      CardStats s,
      List<Imbalance> imbalance,
      LabelMapping mapping) {
    var m = JsonlGzWriter.mapper();
    ObjectNode j = m.createObjectNode();
    j.put("version", version.id());
    j.put("card_format", "sieve-data-card/1");
    j.put("mapping_version", version.manifest().path("mapping_version").asText());
    j.set("split", version.manifest().path("split"));
    j.set("files", version.manifest().path("files"));
    j.set("overlays", version.manifest().path("overlays"));
    j.set("annotation", version.manifest().path("annotation"));
    ObjectNode comp = j.putObject("composition");
    comp.put("domain_records", s.domainRecords);
    comp.put("domain_records_unlabelled", s.domainUnlabelled);
    comp.put("background_records", s.backgroundRecords);
    comp.put("text_records", s.textRecords);
    comp.set("domain_positives_by_category_split", m.valueToTree(s.domainPositives));
    comp.set("domain_registered_domains_by_category", m.valueToTree(s.domainRegisteredDomains));
    comp.set(
        "domain_registered_domains_by_category_split", m.valueToTree(s.domainRegisteredBySplit));
    comp.set("domain_largest_registered_domains", m.valueToTree(s.domainLargestRegistered));
    comp.set("domain_positives_by_source_category_split", m.valueToTree(s.domainBySource));
    comp.set("domain_labels_withheld_by_source_category", m.valueToTree(s.domainWithheldBySource));
    comp.set("domain_source_labels_by_split", m.valueToTree(s.domainSourceLabels));
    comp.set("domain_flags", m.valueToTree(s.domainFlags));
    comp.set("domain_splits", m.valueToTree(s.domainSplits));
    comp.set("domain_label_cardinality", m.valueToTree(s.domainLabelCardinality));
    comp.set("background_splits", m.valueToTree(s.backgroundSplits));
    comp.set("background_flags", m.valueToTree(s.backgroundFlags));
    comp.set("background_sources", m.valueToTree(s.backgroundSources));
    comp.set("text_by_source_split", m.valueToTree(s.textBySourceSplit));
    comp.set("text_positives_by_category_source_split", m.valueToTree(s.textPositives));
    comp.set("text_negatives_in_scope_by_category_split", m.valueToTree(s.textNegatives));
    comp.set("text_positives_by_category_kind", m.valueToTree(s.textPositivesByKind));
    comp.set("text_kinds", m.valueToTree(s.textKinds));
    comp.set("text_source_classes_by_split", m.valueToTree(s.textSourceClasses));
    comp.set("text_source_labels", m.valueToTree(s.textSourceLabels));
    ObjectNode co = j.putObject("cooccurrence");
    co.set("domains", m.valueToTree(s.domainCooccurrence));
    co.set("texts", m.valueToTree(s.textCooccurrence));
    ArrayNode imb = j.putArray("imbalance");
    for (Imbalance i : imbalance) {
      imb.add(m.valueToTree(i));
    }
    j.put(
        "imbalance_rule",
        "pos_weight = clamp(neg/pos, 0.1, 100) per category (binary loss), no resampling; < 50 train positives: evaluate only; thresholds per category on dev");
    ObjectNode leak = j.putObject("leakage");
    leak.put("registered_domains_in_more_than_one_split", s.leakingRegisteredDomains);
    leak.put("text_groups_in_more_than_one_split", s.leakingTextGroups);
    leak.set("examples", m.valueToTree(s.leakExamples));
    ObjectNode quality = j.putObject("quality");
    quality.set("input_files", report.path("files"));
    quality.set("file_errors", report.path("file_errors"));
    quality.set("invalid_examples", report.path("invalid_examples"));
    quality.set("domain_rules", report.path("domain_stats"));
    quality.set("text_rules", report.path("text_stats"));
    j.set("agreement", report.path("text_stats").path("agreement"));
    j.set("gaps", m.valueToTree(gaps(s)));
    ArrayNode lic = j.putArray("sources");
    for (SourceCatalog.Source src : SourceCatalog.SOURCES) {
      ObjectNode o = lic.addObject();
      o.put("id", src.id());
      o.put("origin", src.origin());
      o.put("license", src.license());
      o.put("attribution", src.attribution());
      o.put("share_alike", src.shareAlike());
    }
    ArrayNode rows = j.putArray("mapping");
    for (MappingRow r : mapping.rows()) {
      ObjectNode o = rows.addObject();
      o.put("source", r.source());
      o.put("category", r.category());
      o.put("action", r.action().name().toLowerCase(Locale.ROOT));
      o.set("taxonomy", m.valueToTree(r.taxonomy()));
      o.set("flags", m.valueToTree(r.flags()));
      o.put("reason", r.reason());
    }
    ObjectNode build = j.putObject("build");
    build.set("error_budget", report.path("error_budget"));
    return j;
  }

  /** Known gaps, computed from the numbers plus the ones the sources document. */
  static List<String> gaps(CardStats s) {
    List<String> out = new ArrayList<>();
    for (String c : Taxonomy.v1().ids()) {
      long train = CardStats.get(s.domainPositives.get(c), "train");
      long total = CardStats.total(s.domainPositives.get(c));
      if (total == 0) {
        out.add(
            "No labelled "
                + c
                + " domains at all: the URL tier cannot learn or be measured on "
                + c
                + " hosts.");
      } else if (train < Imbalance.MIN_TRAIN_POSITIVES) {
        out.add(
            "Only "
                + total
                + " labelled "
                + c
                + " domains ("
                + train
                + " in train): too few to train; any metric has a wide CI.");
      }
    }
    for (String c : Taxonomy.v1().ids()) {
      Map<String, Long> byKind = s.textPositivesByKind.getOrDefault(c, Map.of());
      long prompts = CardStats.get(byKind, "prompt");
      long pages = CardStats.total(byKind) - prompts;
      if (prompts + pages == 0) {
        out.add("No labelled " + c + " texts.");
      } else if (pages == 0) {
        out.add(
            c
                + " texts are prompts only ("
                + prompts
                + "): no page-register (tweet/post/site) positives; expect domain shift on web pages.");
      } else if (pages < 100) {
        out.add("Only " + pages + " page-register " + c + " texts (plus " + prompts + " prompts).");
      }
    }
    out.add(
        "UT1 adult domains are absent from the snapshot: adult hosts come from one source (ShadowWhisperer Adult), so adult recall on hosts is measured against that list's own definition.");
    out.add(
        "Lists are positive-only: a host absent from a list is unknown, not negative; only background hosts (list members subtracted) are negatives, and they are weak negatives (unreviewed).");
    out.add(
        "Background popularity lists are English/Western-skewed (Common Crawl, OpenDNS 2014) and the OpenDNS lists are stale.");
    out.add("Texts are English only.");
    return out;
  }

  // ---------------------------------------------------------------- Markdown

  private static String markdown(
      DatasetVersion version,
      JsonNode report,
      CardStats s,
      List<Imbalance> imbalance,
      LabelMapping mapping) {
    Md md = new Md();
    JsonNode manifest = version.manifest();
    md.h1("Data card: " + version.id());
    md.p(
        "Generated by `./sieve data build` / `./sieve data card` (dev.sieve.lab.data.card.DataCard). "
            + "Do not edit: every number below is computed from this version's files, manifest and build report. "
            + "Structure after Gebru et al., *Datasheets for Datasets*. Machine-readable twin: `data-card.json`.");
    md.table(
        List.of("field", "value"),
        List.of(
            List.of("version", "`" + version.id() + "`"),
            List.of("taxonomy", manifest.path("taxonomy_version").asText()),
            List.of(
                "label mapping",
                "`"
                    + manifest.path("mapping_version").asText()
                    + "` (sha256 `"
                    + abbreviate(manifest.path("mapping_sha256").asText())
                    + "`)"),
            List.of(
                "split",
                "seed `" + manifest.path("split").path("seed").asText() + "`; " + Splitter.RULE),
            List.of("label overlays", overlayIds(manifest)),
            List.of(
                "build timings",
                "machine-dependent, so not in this card: `./sieve data card --timings` "
                    + "prints the last build's on this machine (`build-timings.json`, not committed)")));
    List<List<String>> fileRows = new ArrayList<>();
    for (JsonNode f : manifest.path("files")) {
      fileRows.add(
          List.of(
              "`" + f.path("name").asText() + "`",
              n(f.path("rows").asLong()),
              n(f.path("bytes").asLong()),
              "`" + abbreviate(f.path("sha256").asText()) + "`"));
    }
    md.table(List.of("file", "rows", "bytes", "sha256"), fileRows);

    md.h2("1. Motivation");
    md.p(
        "Sieve classifies web requests for K-12 web filtering into taxonomy v1 ("
            + Taxonomy.v1().ids().size()
            + " categories). This dataset is the single source of truth for the URL tier's known-domain table "
            + "and URL model, the content tier and the zero-shot tier's evaluation: every trainer and evaluator "
            + "reads a dataset version (this id travels into model cards and verdict lineage), never a raw list. "
            + "It was built from public, labelled sources nobody on the team wrote; see section 3.");

    md.h2("2. Composition");
    md.p(
        "Record formats: `dev.sieve.core.data.DomainRecord` (domains, background) and `TextRecord` (texts). "
            + "`label_scope` lists the categories a record's labels are complete for: list hosts are positive-only "
            + "(scope = their labels), background hosts are weak negatives for everything (`*`), texts are scoped by "
            + "their source's labelling (Davidson: hate; C-SSRS: self_harm; ...).");
    md.bullets(
        List.of(
            "domain records: "
                + n(s.domainRecords)
                + " ("
                + n(s.domainRecords - s.domainUnlabelled)
                + " with a taxonomy label; "
                + n(s.domainUnlabelled)
                + " kept without one: source labels such as ut1/ai, and hosts whose labels a noise rule withheld)",
            "background records: " + n(s.backgroundRecords),
            "text records: " + n(s.textRecords) + " " + s.textKinds));

    annotationSection(md, manifest, report);

    md.h3("2.1 Labelled hosts per category and split (stratification)");
    md.p(
        "Splits are assigned per registered domain, not per host, so a registered domain with thousands of "
            + "listed hosts (CDN names) lands in one split whole: host shares can drift far from 70/15/15 while the "
            + "registered-domain shares stay close. `skewed` marks a host share more than 10 points off target; "
            + "trainers should weight by registered domain or drop `service_infrastructure` hosts for such categories.");
    List<List<String>> rows = new ArrayList<>();
    for (String c : Taxonomy.v1().ids()) {
      Map<String, Long> m = s.domainPositives.get(c);
      Map<String, Long> rd = s.domainRegisteredBySplit.get(c);
      List<String> r = row(c, m, null);
      r.add(share(m) + (skewed(m) ? " skewed" : ""));
      r.add(
          n(CardStats.get(rd, "train"))
              + " / "
              + n(CardStats.get(rd, "dev"))
              + " / "
              + n(CardStats.get(rd, "test")));
      r.add(share(rd));
      r.add(String.join("; ", s.domainLargestRegistered.getOrDefault(c, List.of())));
      rows.add(r);
    }
    md.table(
        List.of(
            "category",
            "train",
            "dev",
            "test",
            "hosts",
            "host % train/dev/test",
            "registered domains train/dev/test",
            "reg. domain %",
            "largest registered domains (hosts, split)"),
        rows);

    md.h3("2.2 Labelled hosts per source, category and split");
    md.p(
        "A host counts once per source that asserted the label it kept (a host in two lists counts in both rows).");
    rows = new ArrayList<>();
    for (var e : s.domainBySource.entrySet()) {
      for (var c : e.getValue().entrySet()) {
        rows.add(row(e.getKey() + " -> " + c.getKey(), c.getValue(), null));
      }
    }
    md.table(List.of("source -> category", "train", "dev", "test", "total"), rows);

    md.h3("2.3 Source labels (not taxonomy categories)");
    md.p(
        "Kept for the zero-shot tier's emerging-category evaluation (`ai`, `tricheur`) and as protected / "
            + "adjacent slices (`sexual_education`, `lingerie`, `mixed_adult`). Records carry `labels: []`, the "
            + "provenance in `sources` and a flag `source:<list>`.");
    rows = new ArrayList<>();
    for (var e : s.domainSourceLabels.entrySet()) {
      rows.add(row(e.getKey(), e.getValue(), null));
    }
    md.table(List.of("source label", "train", "dev", "test", "total"), rows);

    md.h3("2.4 Background (ordinary popular hosts)");
    md.p(
        "Hosts from the popularity lists with every labelled list member subtracted; labels `[]`, scope `*` "
            + "(weak negatives for calibration and thresholds). Splits: "
            + s.backgroundSplits
            + ". Sources: "
            + s.backgroundSources
            + ". Flags: "
            + s.backgroundFlags
            + ".");

    md.h3("2.5 Texts per source and split");
    rows = new ArrayList<>();
    for (var e : s.textBySourceSplit.entrySet()) {
      rows.add(row(e.getKey(), e.getValue(), null));
    }
    md.table(List.of("source", "train", "dev", "test", "total"), rows);
    md.h3("2.6 Text positives per category, source and split (and in-scope negatives)");
    rows = new ArrayList<>();
    for (String c : Taxonomy.v1().ids()) {
      for (var e : s.textPositives.getOrDefault(c, Map.of()).entrySet()) {
        rows.add(row(c + " <- " + e.getKey(), e.getValue(), null));
      }
      Map<String, Long> neg = s.textNegatives.get(c);
      if (neg != null) {
        rows.add(row(c + " (in-scope negatives, all sources)", neg, null));
      }
    }
    md.table(List.of("category <- source", "train", "dev", "test", "total"), rows);
    md.p("Source classes kept in meta (Davidson class, C-SSRS level) per split:");
    rows = new ArrayList<>();
    for (var e : s.textSourceClasses.entrySet()) {
      rows.add(row(e.getKey(), e.getValue(), null));
    }
    md.table(List.of("source:field=value", "train", "dev", "test", "total"), rows);
    if (!s.textSourceLabels.isEmpty()) {
      md.p("Text source labels (no taxonomy id): " + s.textSourceLabels + ".");
    }

    md.h3("2.7 Multi-label co-occurrence");
    md.p(
        "Records carrying both labels (row, column). Domains: label cardinality "
            + s.domainLabelCardinality
            + ".");
    md.raw(cooccurrence(s.domainCooccurrence));
    md.p("Texts:");
    md.raw(cooccurrence(s.textCooccurrence));

    md.h3("2.8 Class imbalance and the weighting trainers use");
    md.p(
        "Domains: positives = labelled hosts in train; negatives = background hosts in train (list hosts of other "
            + "categories are out of scope, not negatives). Texts: negatives = in-scope texts without the label. Rule: "
            + "`pos_weight = clamp(neg/pos, 0.1, 100)` in a per-category binary loss, no resampling (multi-label, scoped "
            + "labels: per-category weighting is the only reweighting that leaves other categories alone; resampling "
            + "would duplicate sites; the cap keeps tiny categories from dominating). Fewer than "
            + Imbalance.MIN_TRAIN_POSITIVES
            + " train positives: evaluate only. Thresholds are tuned per category on dev "
            + "against the background at its natural rate, never on test.");
    rows = new ArrayList<>();
    for (Imbalance i : imbalance) {
      rows.add(
          List.of(
              i.category(),
              i.modality(),
              n(i.trainPositives()),
              n(i.trainNegatives()),
              i.ratio() == null ? "-" : fmt(i.ratio()),
              i.posWeight() == 0 ? "-" : fmt(i.posWeight()),
              i.strategy()));
    }
    md.table(
        List.of(
            "category", "modality", "train pos", "train neg", "neg/pos", "pos_weight", "decision"),
        rows);

    md.h3("2.9 Splits and leakage");
    md.p(
        "Rule: "
            + Splitter.RULE
            + ". Key: registered domain (eTLD+1, private suffixes included) for domains, "
            + "background and Curlie site descriptions (one function, so a site never crosses splits between files); "
            + "C-SSRS: the user; MedQuAD: the document; OpenStax: the module; OneStopEnglish: the article (all three "
            + "reading levels); recipes: the recipe; Shakespeare: play and act; Stormfront: the post; other texts: hash of "
            + "the near-duplicate key. Real pages (`pages.jsonl.gz`, evaluation only): the page, dev or test only. "
            + "Domain splits: "
            + s.domainSplits
            + ". Leakage check on this version: **"
            + s.leakingRegisteredDomains
            + "** registered domains and **"
            + s.leakingTextGroups
            + "** text groups appear in more than one split.");

    md.h2("3. Collection process, sources and licenses");
    md.p(
        "Raw files are imported once by `./sieve data import` into `data/raw/<source>/` with the source's LICENSE "
            + "and a SOURCE note (origin, snapshot, license, attribution, file hashes, what was left out and why). "
            + "The build reads only `data/raw`.");
    rows = new ArrayList<>();
    for (SourceCatalog.Source src : SourceCatalog.SOURCES) {
      rows.add(List.of("`" + src.id() + "`", src.origin(), src.license(), src.attribution()));
    }
    md.table(List.of("source", "origin", "license", "attribution"), rows);

    md.h2("4. Preprocessing, cleaning and labelling");
    md.bullets(
        List.of(
            "Hosts: comments skipped; hosts-file prefixes, adblock `||...^`, leading `*.`/`.` wildcards, schemes, trailing "
                + "slashes and ports stripped; then core `UrlNormalizer` (lower case, IDN to punycode, trailing dot). Invalid: "
                + "rejected by the normalizer, a path (a page, not a host), whitespace, no registrable domain under the public "
                + "suffix list, bad UTF-8. IP literals are kept and flagged `ip_literal`; IDN hosts flagged `idn` (display "
                + "form = punycode decoded; examples in the build report).",
            "Texts: HTML entities decoded (repeatedly), URLs -> `<url>`, `@handles` -> `@user`, `u/name` -> `u/user`, control "
                + "characters removed, whitespace collapsed. Exact and near-exact duplicates (same lower-cased alphanumeric "
                + "key without placeholders and RT markers) are merged within a source; see the conflict rule below.",
            "Label mapping: `data/mapping/label-mapping.tsv` (version `"
                + mapping.version()
                + "`), one row per source "
                + "category with a reason (table in section 4.4). Labels of a host = union over its lists (multi-label).",
            "Conflict rules: N1 withholds a label asserted only by `noisy_list` sources on popular (top "
                + DomainDatasetBuilder.POPULAR_RANK
                + " of either ranking), ad-tech (UT1 publicite) or "
                + "tracking-endpoint hosts; C1 withholds adult from a host in UT1 sexual_education and C2 makes that host an adult "
                + "negative (scope adult). Text duplicates that disagree: "
                + "Davidson sums the votes and re-takes the plurality; other sources keep the union of labels. Withheld labels "
                + "keep their provenance in `sources` and a `label_withheld:<category>` flag.",
            "Overlays: reviewed corrections in `data/overlays/*.jsonl` are applied last (section 10)."));

    md.h3("4.1 Input files: lines, accepted, duplicates, invalid");
    rows = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = report.path("files").fields(); it.hasNext(); ) {
      var e = it.next();
      JsonNode f = e.getValue();
      rows.add(
          List.of(
              "`" + e.getKey() + "`",
              n(f.path("lines").asLong()),
              n(f.path("accepted").asLong()),
              n(f.path("duplicates").asLong()),
              n(f.path("excluded").asLong()),
              n(f.path("invalid").asLong()),
              f.path("invalidByReason").toString()));
    }
    md.p(
        "entries = accepted + duplicates (merged) + excluded (by rule) + invalid. Text duplicates are counted "
            + "on the file of the copy that was merged away.");
    md.table(
        List.of(
            "file",
            "entries",
            "accepted",
            "duplicates",
            "excluded",
            "invalid",
            "invalid by reason"),
        rows);
    List<String> errs = new ArrayList<>();
    for (JsonNode e : report.path("file_errors")) {
      errs.add(
          "`"
              + e.path("file").asText()
              + (e.path("line").asLong() > 0 ? ":" + e.path("line").asLong() : "")
              + "` "
              + e.path("kind").asText()
              + ": "
              + e.path("reason").asText());
    }
    md.p("File-level errors: " + (errs.isEmpty() ? "none." : ""));
    if (!errs.isEmpty()) {
      md.bullets(errs);
    }
    List<String> examples = new ArrayList<>();
    int shown = 0;
    for (JsonNode e : report.path("invalid_examples")) {
      if (shown++ >= 40) {
        examples.add("... (all examples in build-report.json)");
        break;
      }
      examples.add(
          "`"
              + e.path("file").asText()
              + ":"
              + e.path("line").asLong()
              + "` "
              + e.path("reason").asText()
              + ": `"
              + e.path("sample").asText().replace("`", "'")
              + "`");
    }
    if (!examples.isEmpty()) {
      md.p("Invalid-entry examples (file:line):");
      md.bullets(examples);
    }

    JsonNode ds = report.path("domain_stats");
    md.h3("4.2 Domain rules and background subtraction");
    md.bullets(
        List.of(
            "labels withheld by rule (rule:category -> hosts): " + ds.path("withheld"),
            "hosts listed in more than one input file (merged into one record): "
                + n(ds.path("crossFileDuplicates").asLong()),
            "IDN hosts: " + n(ds.path("idnHosts").asLong()) + ", e.g. " + ds.path("idnExamples"),
            "background: "
                + n(ds.path("backgroundInputHosts").asLong())
                + " valid input entries, "
                + n(ds.path("backgroundDuplicates").asLong())
                + " in two lists, "
                + n(ds.path("backgroundSubtracted").asLong())
                + " subtracted, "
                + n(ds.path("backgroundKept").asLong())
                + " kept",
            "background hosts subtracted per category of the matching list entry: "
                + ds.path("backgroundSubtractedByCategory"),
            "overlay corrections applied: " + ds.path("overlayApplied")));
    JsonNode ts = report.path("text_stats");
    md.h3("4.3 Text de-duplication, conflicts and exclusions");
    md.bullets(
        List.of(
            "rows read per source: " + ts.path("rowsRead"),
            "exact duplicates merged: " + ts.path("exactDuplicates"),
            "near-exact duplicates merged: " + ts.path("nearDuplicates"),
            "duplicate groups with disagreeing labels (resolved by the rule above): "
                + ts.path("labelConflicts"),
            "texts whose key occurs in more than one source (kept in each, same split): "
                + ts.path("crossSourceDuplicates").asLong(),
            "empty after cleaning: " + ts.path("emptyAfterCleaning"),
            "excluded on purpose, by mapping rule (source:reason; child sexual exploitation text is never redistributed): "
                + ts.path("excluded"),
            "overlay corrections applied: " + ts.path("overlayApplied")));

    md.h3("4.4 Label mapping table (`" + mapping.version() + "`)");
    rows = new ArrayList<>();
    for (MappingRow r : mapping.rows()) {
      rows.add(
          List.of(
              r.source(),
              r.category(),
              r.action().name().toLowerCase(Locale.ROOT),
              String.join(", ", r.taxonomy()),
              String.join(", ", r.flags()),
              r.reason()));
    }
    md.table(List.of("source", "category", "action", "taxonomy", "flags", "reason"), rows);

    md.h2("5. Known label noise and how it is handled");
    List<String> noise = new ArrayList<>();
    noise.add(
        "Block List Project lists are DNS blocklists: `gambling` contains ad-tech and tag-manager hosts, security lists "
            + "contain giant benign hosts (hosted abuse). Rule N1 withholds such labels unless another source agrees "
            + "(counts in 4.2; flags `infrastructure`, `giant_benign_host`, `label_withheld:*`: "
            + flagSummary(s.domainFlags)
            + ").");
    noise.add(
        "Block List Project facebook/twitter/tiktok/youtube/whatsapp/fortnite and ShadowWhisperer Chat (chat widgets) "
            + "are service infrastructure: mapped (blocking the service needs them) but flagged `service_infrastructure` ("
            + n(CardStats.get(s.domainFlags, "service_infrastructure"))
            + " hosts); URL-model trainers should exclude or "
            + "down-weight them because the names are CDN endpoints, not content.");
    noise.add(
        "UT1 and ShadowWhisperer gambling overlap heavily: never validate one against the other. Gambling hosts "
            + "per combination of source families that listed them: "
            + ds.path("overlap").path("gambling")
            + " (every category: `domain_stats.overlap` in build-report.json).");
    noise.add(
        "C-SSRS: Supportive and Indicator users are negatives; Indicator is flagged `borderline` (at-risk vocabulary "
            + "without ideation). The dataset's posts contain medical-concept substitutions from the original knowledge-aware "
            + "preprocessing (e.g. 'Asthenia', 'Pain' capitalised mid-sentence): a register artefact.");
    noise.add(
        "Davidson: offensive is not hate (meta `davidson_class=offensive`, label `[]`). Agreement in section 6.");
    noise.add(
        "I2P categories are derived from search keywords (flag `keyword_derived`); XSTest contrast prompts get ids "
            + "from documented keyword rules (meta `keyword_rule`).");
    noise.add(
        "UT1 `liste_bu` (a university-library allowlist) and `liste_blanche` are not education labels: ignored.");
    md.bullets(noise);

    md.h2("6. Annotator agreement");
    JsonNode ag = ts.path("agreement");
    if (ag.isEmpty()) {
      md.p("No source with per-annotator votes was read.");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = ag.fields(); it.hasNext(); ) {
      var e = it.next();
      JsonNode a = e.getValue();
      md.p(
          "**"
              + e.getKey()
              + "** — "
              + a.path("method").asText()
              + ": kappa = "
              + fmt(a.path("kappa").asDouble())
              + " over "
              + n(a.path("items").asLong())
              + " items (observed agreement "
              + fmt(a.path("observed").asDouble())
              + ", chance "
              + fmt(a.path("expected").asDouble())
              + "). Per class: "
              + fmtMap(a.path("perClass"))
              + ". Raters per item: "
              + a.path("ratersPerItem")
              + ". "
              + a.path("notes").path(0).asText(""));
    }
    md.p(
        "Only Davidson publishes per-annotator votes; C-SSRS (psychologists, adjudicated) and Curlie (majority of 3) "
            + "publish only the final label, so no agreement can be computed for them.");

    md.h2("7. Known gaps");
    md.bullets(gaps(s));

    md.h2("8. Uses and non-uses");
    md.bullets(
        List.of(
            "Use: training and evaluating Sieve's URL, content and zero-shot tiers; thresholds and calibration against the background; "
                + "over-blocking measurement on protected slices (sexual_education, LGBTQ+, mental-health help, news about violence).",
            "Use the split field as given: train for fitting, dev for thresholds/calibration, test once per release.",
            "Not a wellness or risk assessment of any person (C-SSRS labels describe anonymous Reddit users in 2019).",
            "Not evidence that a site is malicious or illegal: list membership is a third party's opinion.",
            "Prompts (kind `prompt`) are chatbot/image-generator requests, not web pages: report metrics on them separately."));

    md.h2("9. Distribution and licenses");
    md.p(
        "Generated files are not committed; `./sieve data build` regenerates them byte-identically from `data/raw`. "
            + "`domains.jsonl.gz` contains UT1 entries (CC BY-SA 4.0): that file, and anything derived from it such as the "
            + "known-domain table, stays CC BY-SA 4.0 with the attribution below. Texts from C-SSRS, AILuminate, XSTest and "
            + "SimpleSafetyTests are CC BY 4.0 (attribution required); Davidson, Curlie, I2P are MIT; RTP subsets Apache-2.0; "
            + "ShadowWhisperer and the Block List Project are public domain (Unlicense); OpenDNS lists public domain; "
            + "Website Launches MIT.");
    List<String> attributions = new ArrayList<>();
    for (SourceCatalog.Source src : SourceCatalog.SOURCES) {
      attributions.add(src.attribution() + (src.shareAlike() ? " **(share-alike)**" : ""));
    }
    md.bullets(attributions);

    md.h2("10. Maintenance");
    md.bullets(
        List.of(
            "Rebuild: `./sieve data build` (same inputs -> same version id). Regenerate this card: `./sieve data card`.",
            "New snapshot of a source: `./sieve data import --from <shared folder>`, then build; the manifest's `inputs` lists every raw file's SHA-256.",
            "Label errors: `./sieve data review-queue --scores <out-of-fold scores.jsonl>` ranks suspected errors per category "
                + "(confident learning); reviewed decisions become an overlay with `./sieve data overlay --from <review.jsonl> --name <name>`; "
                + "the next build applies it and gets a new version id. Raw files are never edited.",
            "A new source category fails the build as an unknown category until it gets a mapping row (the coverage test enforces it)."));
    md.p("Error budget of this build: " + report.path("error_budget") + ".");
    return md.toString();
  }

  /** The overlay ids applied to this version (file names without .jsonl), or "none". */
  private static String overlayIds(JsonNode manifest) {
    List<String> ids = new ArrayList<>();
    manifest
        .path("overlays")
        .fieldNames()
        .forEachRemaining(
            f ->
                ids.add(
                    "`" + f.replaceFirst("^overlays/", "").replaceFirst("\\.jsonl$", "") + "`"));
    return ids.isEmpty() ? "none" : String.join(", ", ids);
  }

  /**
   * How many labels came from the annotation app, and how much its annotators agreed (issue #14).
   */
  private static void annotationSection(Md md, JsonNode manifest, JsonNode report) {
    JsonNode annotation = manifest.path("annotation");
    md.h3("2.0 Labels from annotation");
    if (annotation.isEmpty()) {
      md.p(
          "No annotation overlay in this version: every label comes from the sources and reviewed overlays.");
      return;
    }
    md.p(
        "Overlays exported by the annotation app (`\"source\": \"annotation\"`, docs/annotation.md): corrections of "
            + "existing records and new records (texts of source `annotation`; URL labels on their host). Agreement is the "
            + "app's per-item agreement of the annotators with the adjudicated label (0..1); items below "
            + Overlays.LOW_AGREEMENT
            + " are counted. `applied` counts corrections that found their record.");
    List<List<String>> rows = new ArrayList<>();
    long labels = 0;
    for (Map.Entry<String, JsonNode> e : iterable(annotation.fields())) {
      JsonNode a = e.getValue();
      labels += a.path("labels").asLong();
      long applied =
          report.path("text_stats").path("overlayApplied").path(e.getKey()).asLong()
              + report.path("domain_stats").path("overlayApplied").path(e.getKey()).asLong();
      rows.add(
          List.of(
              "`" + e.getKey() + "`",
              n(a.path("items").asLong()),
              n(a.path("labels").asLong()),
              n(a.path("corrections").asLong()) + " (" + n(applied) + " applied)",
              n(a.path("new_texts").asLong()),
              n(a.path("url_records").asLong()),
              String.format(Locale.ROOT, "%.2f", a.path("annotators_mean").asDouble()),
              String.format(
                  Locale.ROOT,
                  "%.3f / %.3f",
                  a.path("agreement_mean").asDouble(),
                  a.path("agreement_min").asDouble()),
              n(a.path("low_agreement_items").asLong())));
    }
    md.table(
        List.of(
            "overlay",
            "items",
            "labels",
            "corrections",
            "new texts",
            "URL records",
            "annotators (mean)",
            "agreement mean / min",
            "low agreement"),
        rows);
    md.p("Labels from annotation in this version: " + n(labels) + ".");
  }

  private static <T> Iterable<T> iterable(Iterator<T> it) {
    return () -> it;
  }

  private static String share(Map<String, Long> bySplit) {
    long total = CardStats.total(bySplit);
    if (total == 0) {
      return "-";
    }
    return String.format(
        Locale.ROOT,
        "%.0f/%.0f/%.0f",
        100.0 * CardStats.get(bySplit, "train") / total,
        100.0 * CardStats.get(bySplit, "dev") / total,
        100.0 * CardStats.get(bySplit, "test") / total);
  }

  private static boolean skewed(Map<String, Long> bySplit) {
    long total = CardStats.total(bySplit);
    if (total == 0) {
      return false;
    }
    double[] target = {0.70, 0.15, 0.15};
    for (int i = 0; i < 3; i++) {
      if (Math.abs((double) CardStats.get(bySplit, SPLITS.get(i)) / total - target[i]) > 0.10) {
        return true;
      }
    }
    return false;
  }

  private static String flagSummary(Map<String, Long> flags) {
    Map<String, Long> out = new TreeMap<>();
    for (var e : flags.entrySet()) {
      if (e.getKey().startsWith("label_withheld")
          || e.getKey().equals("infrastructure")
          || e.getKey().equals("giant_benign_host")
          || e.getKey().startsWith("conflict")) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out.toString();
  }

  private static String cooccurrence(Map<String, Map<String, Long>> matrix) {
    if (matrix.isEmpty()) {
      return "_no record carries two labels._\n\n";
    }
    TreeSet<String> cats = new TreeSet<>(matrix.keySet());
    List<String> ordered = Taxonomy.v1().ids().stream().filter(cats::contains).toList();
    List<String> header = new ArrayList<>();
    header.add("");
    header.addAll(ordered);
    List<List<String>> rows = new ArrayList<>();
    for (String a : ordered) {
      List<String> row = new ArrayList<>();
      row.add(a);
      for (String b : ordered) {
        long v = a.equals(b) ? 0 : CardStats.get(matrix.get(a), b);
        row.add(a.equals(b) ? "-" : v == 0 ? "" : n(v));
      }
      rows.add(row);
    }
    Md md = new Md();
    md.table(header, rows);
    return md.toString();
  }

  private static List<String> row(String name, Map<String, Long> bySplit, Long extra) {
    List<String> r = new ArrayList<>();
    r.add(name);
    for (String split : SPLITS) {
      r.add(n(CardStats.get(bySplit, split)));
    }
    r.add(n(CardStats.total(bySplit)));
    if (extra != null) {
      r.add(n(extra));
    }
    return r;
  }

  private static String fmtMap(JsonNode node) {
    List<String> parts = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      var e = it.next();
      parts.add(e.getKey() + " " + fmt(e.getValue().asDouble()));
    }
    return String.join(", ", parts);
  }

  static String n(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static String abbreviate(String sha) {
    return sha.length() > 16 ? sha.substring(0, 16) + "..." : sha;
  }

  /** A tiny Markdown writer (tables escape pipes). */
  static final class Md {
    private final StringBuilder sb = new StringBuilder();

    void h1(String s) {
      sb.append("# ").append(s).append("\n\n");
    }

    void h2(String s) {
      sb.append("## ").append(s).append("\n\n");
    }

    void h3(String s) {
      sb.append("### ").append(s).append("\n\n");
    }

    void p(String s) {
      sb.append(s).append("\n\n");
    }

    void raw(String s) {
      sb.append(s);
    }

    void bullets(List<String> items) {
      for (String i : items) {
        sb.append("- ").append(i).append('\n');
      }
      sb.append('\n');
    }

    void table(List<String> header, List<List<String>> rows) {
      if (rows.isEmpty()) {
        sb.append("_none_\n\n");
        return;
      }
      MarkdownTable table = MarkdownTable.compact(header.stream().map(Md::cell).toList());
      for (int i = 1; i < header.size(); i++) {
        final int col = i;
        if (rows.stream().allMatch(r -> col >= r.size() || r.get(col).matches("[-0-9,.% /]*"))) {
          table.alignRight(i);
        }
      }
      rows.forEach(r -> table.row(r.stream().map(Md::cell).toList()));
      table.appendTo(sb).append('\n');
    }

    private static String cell(String s) {
      return s.replace("|", "\\|").replace("\n", " ");
    }

    @Override
    public String toString() {
      return sb.toString();
    }
  }
}

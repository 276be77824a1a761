package dev.sieve.lab.data.domains;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the domain step measured besides the records themselves: rule applications, subtractions,
 * source overlaps. Serialized into {@code build-report.json} and printed in the data card.
 */
public final class DomainStats {
  /** "rule:category" to number of host labels withheld (N1 noise rule, C1 protected slice). */
  public final Map<String, Long> withheld = new TreeMap<>();

  /** Background hosts removed per category of the list entry that removed them. */
  public final Map<String, Long> backgroundSubtractedByCategory = new TreeMap<>();

  public long backgroundInputHosts;
  public long backgroundDuplicates;
  public long backgroundSubtracted;
  public long backgroundKept;

  /** category to "sourceA&sourceB" (source families) to number of hosts listed by both. */
  public final Map<String, Map<String, Long>> overlap = new TreeMap<>();

  /** Hosts listed in more than one input file. */
  public long crossFileDuplicates;

  public long idnHosts;
  public final List<String> idnExamples = new ArrayList<>();
  public final Map<String, Long> overlayApplied = new TreeMap<>();

  /** Number of distinct hosts labelled by each source id (after cleaning, before rules). */
  public final Map<String, Long> hostsPerSource = new TreeMap<>();
}

package dev.sieve.router.policy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sieve.core.taxonomy.Category;
import dev.sieve.core.taxonomy.DefaultAction;
import dev.sieve.core.url.NormalizedUrl;
import dev.sieve.core.url.UrlNormalizer;
import dev.sieve.core.url.UrlRejectedException;
import dev.sieve.core.util.Sha256;
import dev.sieve.proto.v1.CategoryAction;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Parses and validates a policy file (YAML, or JSON when the name ends in {@code .json}) and
 * resolves every tenant's chain into a {@link Policy}.
 *
 * <p>Validation is strict on purpose: a policy decides what hundreds of schools may see, and a typo
 * that silently falls back to a default (a misspelled category, a threshold of 5 meant as 0.5, an
 * unknown field) would change verdicts without anyone noticing. Every rejection names the file, the
 * field path and the problem. The schema is documented in {@code docs/policy.md}.
 */
public final class PolicyParser {

  /** Name of the root layer, usable as a tenant's {@code parent}. */
  public static final String GLOBAL = "global";

  static final double DEFAULT_THRESHOLD = 0.5;
  static final double DEFAULT_UNCERTAINTY_MARGIN = 0.15;
  static final double DEFAULT_EMERGING_THRESHOLD = 0.7;
  static final VerdictTtls DEFAULT_TTLS = new VerdictTtls(3600, 900, 10);
  static final int MAX_TTL_SECONDS = 7 * 24 * 3600;
  static final int MAX_FILE_BYTES = 64 * 1024 * 1024;

  private static final Pattern EMERGING_ID = Pattern.compile("[a-z][a-z0-9_]{1,47}");
  private static final Set<String> ROOT_FIELDS =
      Set.of(
          "id",
          "version",
          "defaults",
          "block_on_alert",
          "ttl",
          "categories",
          "overrides",
          "emerging",
          "tenants");
  private static final Set<String> TENANT_FIELDS =
      Set.of("parent", "block_on_alert", "ttl", "categories", "overrides", "emerging");
  private static final Set<String> DEFAULTS_FIELDS =
      Set.of("threshold", "uncertainty_margin", "llm_fills_gaps");
  private static final Set<String> TTL_FIELDS =
      Set.of("positive_seconds", "negative_seconds", "degraded_seconds");
  private static final Set<String> CATEGORY_FIELDS =
      Set.of(
          "threshold",
          "action",
          "uncertainty_band",
          "fail_closed",
          "on_tier_loss",
          "alert",
          "yields_to");
  private static final Set<String> EMERGING_FIELDS = Set.of("consult_llm", "default", "categories");
  private static final Set<String> EMERGING_CATEGORY_FIELDS = Set.of("threshold", "action");
  private static final Set<String> OVERRIDE_FIELDS = Set.of("allow", "deny");

  private static final ObjectMapper YAML =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private final String source;

  private PolicyParser(String source) {
    this.source = source;
  }

  /**
   * Parses {@code content} read from {@code source}.
   *
   * @param source file path or resource name, used in messages and to pick YAML or JSON
   * @throws PolicyException naming the source, the field path and the problem
   */
  public static Policy parse(String source, byte[] content) throws PolicyException {
    return new PolicyParser(source).parse(content);
  }

  private Policy parse(byte[] content) throws PolicyException {
    if (content.length > MAX_FILE_BYTES) {
      throw new PolicyException(
          source + ": policy file is larger than " + MAX_FILE_BYTES + " bytes");
    }
    JsonNode root;
    try {
      root = (source.toLowerCase(Locale.ROOT).endsWith(".json") ? JSON : YAML).readTree(content);
    } catch (JacksonException e) {
      JsonLocation at = e.getLocation();
      throw new PolicyException(
          source
              + ": not valid "
              + (source.endsWith(".json") ? "JSON" : "YAML")
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
              + ": "
              + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      throw new PolicyException(source + ": cannot read policy: " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new PolicyException(source + ": policy file is empty");
    }
    requireObject(root, "", ROOT_FIELDS);
    String id = requiredScalar(root, "id");
    String version = requiredScalar(root, "version");

    double defaultThreshold = DEFAULT_THRESHOLD;
    double margin = DEFAULT_UNCERTAINTY_MARGIN;
    boolean llmFillsGaps = true;
    JsonNode defaults = root.get("defaults");
    if (defaults != null) {
      requireObject(defaults, "defaults", DEFAULTS_FIELDS);
      if (defaults.has("threshold")) {
        defaultThreshold = unitInterval(defaults.get("threshold"), "defaults.threshold");
      }
      if (defaults.has("uncertainty_margin")) {
        margin = number(defaults.get("uncertainty_margin"), "defaults.uncertainty_margin");
        if (margin < 0 || margin > 0.5) {
          throw fail("defaults.uncertainty_margin", margin + " is outside [0, 0.5]");
        }
      }
      if (defaults.has("llm_fills_gaps")) {
        llmFillsGaps = bool(defaults.get("llm_fills_gaps"), "defaults.llm_fills_gaps");
      }
    }

    LayerSpec global = parseLayer(GLOBAL, root, "");
    Map<String, LayerSpec> layers = new LinkedHashMap<>();
    JsonNode tenants = root.get("tenants");
    if (tenants != null && !tenants.isNull()) {
      if (!tenants.isObject()) {
        throw fail("tenants", "must be a mapping of tenant id to tenant policy");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = tenants.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        String tenantId = entry.getKey();
        String path = "tenants." + tenantId;
        if (tenantId.isBlank() || !tenantId.equals(tenantId.strip())) {
          throw fail(path, "tenant id must be non-empty without surrounding spaces");
        }
        if (tenantId.equals(GLOBAL)) {
          throw fail(path, "'" + GLOBAL + "' is the root layer (top of the file), not a tenant id");
        }
        JsonNode node = entry.getValue();
        if (node == null || node.isNull()) {
          node = YAML.createObjectNode();
        }
        requireObject(node, path, TENANT_FIELDS);
        LayerSpec layer = parseLayer(tenantId, node, path + ".");
        JsonNode parent = node.get("parent");
        layer.parent =
            parent == null || parent.isNull() ? GLOBAL : scalar(parent, path + ".parent");
        layers.put(tenantId, layer);
      }
    }
    Map<String, List<LayerSpec>> chains = resolveChains(global, layers);

    TenantPolicy globalPolicy =
        resolve("", List.of(global), defaultThreshold, margin, llmFillsGaps);
    Map<String, TenantPolicy> resolved = new HashMap<>(Math.max(16, layers.size() * 2));
    for (Map.Entry<String, List<LayerSpec>> chain : chains.entrySet()) {
      resolved.put(
          chain.getKey(),
          resolve(chain.getKey(), chain.getValue(), defaultThreshold, margin, llmFillsGaps));
    }
    return new Policy(id, version, source, Sha256.of(content), globalPolicy, Map.copyOf(resolved));
  }

  /**
   * For every tenant, its layers nearest first, ending with global; rejects unknown parents and
   * cycles.
   */
  private Map<String, List<LayerSpec>> resolveChains(
      LayerSpec global, Map<String, LayerSpec> layers) throws PolicyException {
    Map<String, List<LayerSpec>> chains = new LinkedHashMap<>();
    for (LayerSpec layer : layers.values()) {
      List<LayerSpec> chain = new ArrayList<>();
      LinkedHashSet<String> seen = new LinkedHashSet<>();
      LayerSpec current = layer;
      while (true) {
        if (!seen.add(current.name)) {
          List<String> cycle = new ArrayList<>(seen);
          cycle = cycle.subList(cycle.indexOf(current.name), cycle.size());
          throw fail(
              "tenants." + layer.name + ".parent",
              "parent cycle " + String.join(" -> ", cycle) + " -> " + current.name);
        }
        chain.add(current);
        if (current.parent.equals(GLOBAL)) {
          break;
        }
        LayerSpec parent = layers.get(current.parent);
        if (parent == null) {
          throw fail(
              "tenants." + current.name + ".parent",
              "unknown tenant '"
                  + current.parent
                  + "' (declare it under tenants, or use '"
                  + GLOBAL
                  + "')");
        }
        current = parent;
      }
      chain.add(global);
      chains.put(layer.name, List.copyOf(chain));
    }
    return chains;
  }

  private TenantPolicy resolve(
      String tenantId,
      List<LayerSpec> chain,
      double defaultThreshold,
      double margin,
      boolean llmFillsGaps)
      throws PolicyException {
    int n = CoreCategories.count();
    CategoryRule[] rules = new CategoryRule[n];
    for (int i = 0; i < n; i++) {
      Category category = CoreCategories.category(i);
      Double threshold = null;
      CategoryAction action = null;
      double[] band = null;
      TierLossMode onTierLoss = null;
      Boolean alert = null;
      int[] yieldsTo = null;
      for (LayerSpec layer : chain) {
        CategorySpec spec = layer.core.get(i);
        if (spec == null) {
          continue;
        }
        threshold = threshold != null ? threshold : spec.threshold;
        action = action != null ? action : spec.action;
        band = band != null ? band : spec.band;
        onTierLoss = onTierLoss != null ? onTierLoss : spec.onTierLoss;
        alert = alert != null ? alert : spec.alert;
        yieldsTo = yieldsTo != null ? yieldsTo : spec.yieldsTo;
      }
      double t = threshold != null ? threshold : defaultThreshold;
      double lo;
      double hi;
      if (band == null && margin > 0) {
        lo = Math.max(0, t - margin);
        hi = Math.min(1, t + margin);
      } else if (band == null || band.length == 0) {
        // uncertainty_band: [] on the category, or a zero default margin: never consult the llm
        // tier.
        lo = Double.POSITIVE_INFINITY;
        hi = Double.NEGATIVE_INFINITY;
      } else {
        lo = band[0];
        hi = band[1];
      }
      CategoryAction resolvedAction = action != null ? action : toProto(category.defaultAction());
      if (alert != null && !alert && resolvedAction == CategoryAction.CATEGORY_ACTION_ALERT) {
        throw fail(
            (tenantId.isEmpty() ? "" : "tenants." + tenantId + ".")
                + "categories."
                + category.id()
                + ".alert",
            "alert: false contradicts action ALERT (which raises the alert); set action"
                + " BLOCK or ALLOW together with alert: false");
      }
      rules[i] =
          new CategoryRule(
              t,
              resolvedAction,
              lo,
              hi,
              onTierLoss != null
                  ? onTierLoss
                  : (category.failClosed() ? TierLossMode.BLOCK : TierLossMode.ALLOW),
              alert != null ? alert : category.alerts(),
              yieldsTo);
    }

    Double emergingThreshold = null;
    CategoryAction emergingAction = null;
    Boolean consult = null;
    Boolean blockOnAlert = null;
    Integer positive = null;
    Integer negative = null;
    Integer degraded = null;
    Set<String> emergingIds = new LinkedHashSet<>();
    List<DomainOverrides.Layer> overrideLayers = new ArrayList<>(chain.size());
    for (LayerSpec layer : chain) {
      if (layer.emergingDefault != null) {
        emergingThreshold =
            emergingThreshold != null ? emergingThreshold : layer.emergingDefault.threshold;
        emergingAction = emergingAction != null ? emergingAction : layer.emergingDefault.action;
      }
      consult = consult != null ? consult : layer.consultLlm;
      blockOnAlert = blockOnAlert != null ? blockOnAlert : layer.blockOnAlert;
      positive = positive != null ? positive : layer.ttlPositive;
      negative = negative != null ? negative : layer.ttlNegative;
      degraded = degraded != null ? degraded : layer.ttlDegraded;
      emergingIds.addAll(layer.emerging.keySet());
      overrideLayers.add(layer.overrideLayer);
    }
    CategoryRule emergingDefault =
        new CategoryRule(
            emergingThreshold != null ? emergingThreshold : DEFAULT_EMERGING_THRESHOLD,
            emergingAction != null ? emergingAction : CategoryAction.CATEGORY_ACTION_ALLOW,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            false);
    Map<String, CategoryRule> emerging = new HashMap<>();
    for (String emergingId : emergingIds) {
      Double threshold = null;
      CategoryAction action = null;
      for (LayerSpec layer : chain) {
        CategorySpec spec = layer.emerging.get(emergingId);
        if (spec != null) {
          threshold = threshold != null ? threshold : spec.threshold;
          action = action != null ? action : spec.action;
        }
      }
      emerging.put(
          emergingId,
          new CategoryRule(
              threshold != null ? threshold : emergingDefault.threshold(),
              action != null ? action : emergingDefault.action(),
              Double.POSITIVE_INFINITY,
              Double.NEGATIVE_INFINITY,
              false));
    }
    return new TenantPolicy(
        tenantId,
        rules,
        Map.copyOf(emerging),
        emergingDefault,
        consult == null || consult,
        new DomainOverrides(overrideLayers),
        new VerdictTtls(
            positive != null ? positive : DEFAULT_TTLS.positiveSeconds(),
            negative != null ? negative : DEFAULT_TTLS.negativeSeconds(),
            degraded != null ? degraded : DEFAULT_TTLS.degradedSeconds()),
        blockOnAlert == null || blockOnAlert,
        llmFillsGaps);
  }

  /**
   * Parses the fields a layer may set (the root or a tenant); {@code prefix} is "" or "tenants.x.".
   */
  private LayerSpec parseLayer(String name, JsonNode node, String prefix) throws PolicyException {
    LayerSpec layer = new LayerSpec(name);
    if (node.has("block_on_alert")) {
      layer.blockOnAlert = bool(node.get("block_on_alert"), prefix + "block_on_alert");
    }
    JsonNode ttl = node.get("ttl");
    if (ttl != null) {
      requireObject(ttl, prefix + "ttl", TTL_FIELDS);
      layer.ttlPositive = ttlSeconds(ttl.get("positive_seconds"), prefix + "ttl.positive_seconds");
      layer.ttlNegative = ttlSeconds(ttl.get("negative_seconds"), prefix + "ttl.negative_seconds");
      layer.ttlDegraded = ttlSeconds(ttl.get("degraded_seconds"), prefix + "ttl.degraded_seconds");
    }
    JsonNode categories = node.get("categories");
    if (categories != null && !categories.isNull()) {
      if (!categories.isObject()) {
        throw fail(prefix + "categories", "must be a mapping of category id to settings");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = categories.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        String path = prefix + "categories." + entry.getKey();
        int index = CoreCategories.indexOf(entry.getKey());
        if (index < 0) {
          throw fail(
              path,
              "unknown category '"
                  + entry.getKey()
                  + "'; known: "
                  + CoreCategories.ids()
                  + " (emerging categories go under emerging.categories)");
        }
        layer.core.put(index, parseCategory(entry.getValue(), path, CATEGORY_FIELDS));
      }
    }
    JsonNode overrides = node.get("overrides");
    Map<String, OverrideMatch> entries = new HashMap<>();
    if (overrides != null && !overrides.isNull()) {
      requireObject(overrides, prefix + "overrides", OVERRIDE_FIELDS);
      parseOverrides(overrides.get("allow"), prefix + "overrides.allow", true, name, entries);
      parseOverrides(overrides.get("deny"), prefix + "overrides.deny", false, name, entries);
    }
    layer.overrideLayer = new DomainOverrides.Layer(name, Map.copyOf(entries));
    JsonNode emerging = node.get("emerging");
    if (emerging != null && !emerging.isNull()) {
      requireObject(emerging, prefix + "emerging", EMERGING_FIELDS);
      if (emerging.has("consult_llm")) {
        layer.consultLlm = bool(emerging.get("consult_llm"), prefix + "emerging.consult_llm");
      }
      if (emerging.has("default")) {
        layer.emergingDefault =
            parseCategory(
                emerging.get("default"), prefix + "emerging.default", EMERGING_CATEGORY_FIELDS);
      }
      JsonNode ids = emerging.get("categories");
      if (ids != null && !ids.isNull()) {
        if (!ids.isObject()) {
          throw fail(
              prefix + "emerging.categories", "must be a mapping of category id to settings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = ids.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> entry = it.next();
          String path = prefix + "emerging.categories." + entry.getKey();
          if (CoreCategories.indexOf(entry.getKey()) >= 0) {
            throw fail(
                path,
                "'"
                    + entry.getKey()
                    + "' is a taxonomy category; configure it under categories, not emerging");
          }
          if (!EMERGING_ID.matcher(entry.getKey()).matches()) {
            throw fail(path, "emerging category id must be snake_case [a-z][a-z0-9_]{1,47}");
          }
          layer.emerging.put(
              entry.getKey(), parseCategory(entry.getValue(), path, EMERGING_CATEGORY_FIELDS));
        }
      }
    }
    return layer;
  }

  private void parseOverrides(
      JsonNode list, String path, boolean allow, String layerName, Map<String, OverrideMatch> into)
      throws PolicyException {
    if (list == null || list.isNull()) {
      return;
    }
    if (!list.isArray()) {
      throw fail(path, "must be a list of domains");
    }
    for (int i = 0; i < list.size(); i++) {
      String itemPath = path + "[" + i + "]";
      String raw = scalar(list.get(i), itemPath);
      String domain = normalizeDomain(raw, itemPath);
      OverrideMatch previous = into.put(domain, new OverrideMatch(allow, domain, layerName));
      if (previous != null && previous.allow() != allow) {
        throw fail(itemPath, "'" + domain + "' is both allowed and denied in the same layer");
      }
    }
  }

  private String normalizeDomain(String raw, String path) throws PolicyException {
    String entry = raw.strip();
    if (entry.isEmpty()
        || entry.indexOf('/') >= 0
        || entry.indexOf('?') >= 0
        || entry.indexOf('#') >= 0
        || entry.indexOf('@') >= 0) {
      throw fail(
          path,
          "'" + raw + "' is not a domain (write a host such as example.com, no scheme or path)");
    }
    NormalizedUrl url;
    try {
      url = UrlNormalizer.instance().normalizeHost(entry, "http");
    } catch (UrlRejectedException e) {
      throw fail(path, "'" + raw + "' is not a valid domain: " + e.getMessage());
    }
    if (url.port() >= 0) {
      throw fail(path, "'" + raw + "' has a port; overrides match hosts, not ports");
    }
    if (!url.ipLiteral() && url.host().equals(url.publicSuffix())) {
      throw fail(
          path,
          "'"
              + raw
              + "' is a public suffix; overrides match a host and its parent "
              + "domains up to the registrable domain");
    }
    return url.host();
  }

  private CategorySpec parseCategory(JsonNode node, String path, Set<String> fields)
      throws PolicyException {
    if (node == null || node.isNull()) {
      return new CategorySpec();
    }
    requireObject(node, path, fields);
    CategorySpec spec = new CategorySpec();
    if (node.has("threshold")) {
      spec.threshold = unitInterval(node.get("threshold"), path + ".threshold");
    }
    if (node.has("action")) {
      spec.action = action(node.get("action"), path + ".action");
    }
    if (node.has("fail_closed") && node.has("on_tier_loss")) {
      throw fail(
          path + ".fail_closed",
          "set either fail_closed or on_tier_loss, not both"
              + " (fail_closed: true is on_tier_loss: block, false is on_tier_loss: allow)");
    }
    if (node.has("fail_closed")) {
      spec.onTierLoss =
          bool(node.get("fail_closed"), path + ".fail_closed")
              ? TierLossMode.BLOCK
              : TierLossMode.ALLOW;
    }
    if (node.has("on_tier_loss")) {
      String value = scalar(node.get("on_tier_loss"), path + ".on_tier_loss");
      spec.onTierLoss = TierLossMode.parse(value);
      if (spec.onTierLoss == null) {
        throw fail(
            path + ".on_tier_loss",
            "unknown value '" + value + "'; expected one of block, allow, url_only");
      }
    }
    if (node.has("alert")) {
      spec.alert = bool(node.get("alert"), path + ".alert");
    }
    if (node.has("yields_to")) {
      spec.yieldsTo = yieldsTo(node.get("yields_to"), path + ".yields_to", path);
    }
    if (node.has("uncertainty_band")) {
      JsonNode band = node.get("uncertainty_band");
      String bandPath = path + ".uncertainty_band";
      if (!band.isArray() || (band.size() != 0 && band.size() != 2)) {
        throw fail(bandPath, "must be [low, high] (inclusive) or [] to never consult the llm tier");
      }
      if (band.size() == 0) {
        spec.band = new double[0];
      } else {
        double lo = unitInterval(band.get(0), bandPath + "[0]");
        double hi = unitInterval(band.get(1), bandPath + "[1]");
        if (lo > hi) {
          throw fail(bandPath, "low " + lo + " is above high " + hi);
        }
        spec.band = new double[] {lo, hi};
      }
    }
    return spec;
  }

  /**
   * {@code yields_to: [id, ...]}: core categories only (an emerging category's score comes from the
   * llm tier alone and must not unblock a core category), never the category itself.
   */
  private int[] yieldsTo(JsonNode node, String path, String categoryPath) throws PolicyException {
    if (!node.isArray()) {
      throw fail(path, "must be a list of core category ids, e.g. [self_harm_help]");
    }
    String self = categoryPath.substring(categoryPath.lastIndexOf('.') + 1);
    int[] out = new int[node.size()];
    for (int j = 0; j < node.size(); j++) {
      String id = scalar(node.get(j), path + "[" + j + "]");
      int index = CoreCategories.indexOf(id);
      if (index < 0) {
        throw fail(
            path + "[" + j + "]",
            "unknown core category '" + id + "'; known: " + CoreCategories.ids());
      }
      if (id.equals(self)) {
        throw fail(path + "[" + j + "]", "a category cannot yield to itself");
      }
      out[j] = index;
    }
    return out;
  }

  private CategoryAction action(JsonNode node, String path) throws PolicyException {
    String value = scalar(node, path);
    return switch (value.toUpperCase(Locale.ROOT)) {
      case "BLOCK" -> CategoryAction.CATEGORY_ACTION_BLOCK;
      case "ALLOW" -> CategoryAction.CATEGORY_ACTION_ALLOW;
      case "ALERT" -> CategoryAction.CATEGORY_ACTION_ALERT;
      default ->
          throw fail(path, "unknown action '" + value + "'; expected one of BLOCK, ALLOW, ALERT");
    };
  }

  static CategoryAction toProto(DefaultAction action) {
    return switch (action) {
      case ALLOW -> CategoryAction.CATEGORY_ACTION_ALLOW;
      case BLOCK -> CategoryAction.CATEGORY_ACTION_BLOCK;
      case ALERT -> CategoryAction.CATEGORY_ACTION_ALERT;
    };
  }

  private Integer ttlSeconds(JsonNode node, String path) throws PolicyException {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber()) {
      throw fail(path, "must be a whole number of seconds");
    }
    long value = node.asLong();
    if (value < 0 || value > MAX_TTL_SECONDS) {
      throw fail(path, value + " is outside [0, " + MAX_TTL_SECONDS + "]");
    }
    return (int) value;
  }

  private double unitInterval(JsonNode node, String path) throws PolicyException {
    double value = number(node, path);
    if (!(value >= 0 && value <= 1)) {
      throw fail(path, value + " is outside [0, 1]");
    }
    return value;
  }

  private double number(JsonNode node, String path) throws PolicyException {
    if (node == null || !node.isNumber()) {
      throw fail(path, "must be a number");
    }
    return node.asDouble();
  }

  private boolean bool(JsonNode node, String path) throws PolicyException {
    if (node == null || !node.isBoolean()) {
      throw fail(path, "must be true or false");
    }
    return node.asBoolean();
  }

  private String requiredScalar(JsonNode root, String field) throws PolicyException {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      throw fail(field, "is required");
    }
    String value = scalar(node, field);
    if (value.isBlank()) {
      throw fail(field, "must not be empty");
    }
    return value;
  }

  private String scalar(JsonNode node, String path) throws PolicyException {
    if (node == null || !node.isValueNode() || node.isNull()) {
      throw fail(path, "must be a plain value");
    }
    return node.asText();
  }

  private void requireObject(JsonNode node, String path, Set<String> allowed)
      throws PolicyException {
    if (!node.isObject()) {
      throw fail(path.isEmpty() ? "(root)" : path, "must be a mapping");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw fail(
            path.isEmpty() ? field : path + "." + field,
            "unknown field '" + field + "'; expected one of " + new TreeSet<>(allowed));
      }
    }
  }

  private PolicyException fail(String path, String problem) {
    return new PolicyException(source + ": " + path + ": " + problem);
  }

  /** One layer as written in the file (null = not set here, inherit). */
  private static final class LayerSpec {
    final String name;
    String parent = GLOBAL;
    Boolean blockOnAlert;
    Integer ttlPositive;
    Integer ttlNegative;
    Integer ttlDegraded;
    final Map<Integer, CategorySpec> core = new HashMap<>();
    DomainOverrides.Layer overrideLayer;
    Boolean consultLlm;
    CategorySpec emergingDefault;
    final Map<String, CategorySpec> emerging = new LinkedHashMap<>();

    LayerSpec(String name) {
      this.name = name;
    }
  }

  /** One category's settings as written in one layer (null = inherit). */
  private static final class CategorySpec {
    Double threshold;
    CategoryAction action;
    double[] band;
    TierLossMode onTierLoss;
    Boolean alert;
    int[] yieldsTo;
  }
}

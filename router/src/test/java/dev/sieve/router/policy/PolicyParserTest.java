package dev.sieve.router.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sieve.core.taxonomy.Category;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.core.url.UrlNormalizer;
import dev.sieve.proto.v1.CategoryAction;
import java.nio.charset.StandardCharsets;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class PolicyParserTest {

  private static final int GAMBLING = CoreCategories.indexOf("gambling");
  private static final int GAMES = CoreCategories.indexOf("games");
  private static final int ADULT = CoreCategories.indexOf("adult");

  static Policy parse(String yaml) throws PolicyException {
    return PolicyParser.parse("policy.yaml", yaml.getBytes(StandardCharsets.UTF_8));
  }

  private static final String LAYERED =
      """
      id: layered
      version: "3"
      defaults: {threshold: 0.5, uncertainty_margin: 0.1}
      block_on_alert: true
      ttl: {positive_seconds: 100, negative_seconds: 50, degraded_seconds: 5}
      categories:
        gambling: {threshold: 0.6}
        games: {action: ALLOW}
      overrides:
        deny: [casino.example]
      tenants:
        district-1:
          categories:
            gambling: {threshold: 0.7}
            games: {action: block}
          overrides:
            allow: [learn.casino.example]
        school-1:
          parent: district-1
          ttl: {negative_seconds: 20}
          categories:
            gambling: {threshold: 0.8}
        group-1:
          parent: school-1
          block_on_alert: false
          categories:
            games: {action: ALLOW}
      """;

  @Test
  void embeddedDefaultPolicyLoadsWithTaxonomyDefaults() throws Exception {
    Policy policy = PolicyStore.loadEmbeddedDefault();
    assertThat(policy.id()).isEqualTo("k12-default");
    TenantPolicy global = policy.global();
    for (Category category : Taxonomy.v1().categories()) {
      CategoryRule rule = global.core(CoreCategories.indexOf(category.id()));
      assertThat(rule.action())
          .as(category.id())
          .isEqualTo(PolicyParser.toProto(category.defaultAction()));
      // adult is the one category whose tier-loss rule the default policy sets itself (allow).
      assertThat(rule.failClosed())
          .as(category.id())
          .isEqualTo(category.failClosed() && !category.id().equals("adult"));
    }
    assertThat(global.core(CoreCategories.indexOf("self_harm")).action())
        .isEqualTo(CategoryAction.CATEGORY_ACTION_ALERT);
    // Help is never blocked: a self_harm decision alerts and a counsellor decides (issue #11).
    assertThat(global.blockOnAlert()).isFalse();
  }

  @Test
  void unsetFieldsFallBackToTaxonomyDefaults() throws Exception {
    TenantPolicy global = parse("id: minimal\nversion: 1\n").global();
    assertThat(global.core(ADULT).failClosed()).isTrue();
    assertThat(global.core(ADULT).action()).isEqualTo(CategoryAction.CATEGORY_ACTION_BLOCK);
    assertThat(global.core(GAMBLING).failClosed()).isFalse();
    assertThat(global.core(GAMBLING).threshold()).isEqualTo(0.5);
    assertThat(global.core(GAMBLING).bandLow()).isCloseTo(0.35, Offset.offset(1e-9));
    assertThat(global.ttls()).isEqualTo(PolicyParser.DEFAULT_TTLS);
  }

  @Test
  void thresholdsAndBandsFollowTheTenantThreshold() throws Exception {
    Policy policy = parse(LAYERED);
    CategoryRule global = policy.global().core(GAMBLING);
    assertThat(global.threshold()).isEqualTo(0.6);
    assertThat(global.inBand(0.5)).isTrue();
    assertThat(global.inBand(0.71)).isFalse();
    CategoryRule school = policy.lookup("school-1").core(GAMBLING);
    assertThat(school.threshold()).isEqualTo(0.8);
    assertThat(school.inBand(0.71)).as("band moves with the tenant's threshold").isTrue();
  }

  @Test
  void groupInheritsSchoolInheritsDistrictInheritsGlobalNearestWins() throws Exception {
    Policy policy = parse(LAYERED);
    TenantPolicy group = policy.lookup("group-1");
    TenantPolicy school = policy.lookup("school-1");
    TenantPolicy district = policy.lookup("district-1");
    // threshold: set in global (0.6), district (0.7), school (0.8); group inherits school's
    assertThat(district.core(GAMBLING).threshold()).isEqualTo(0.7);
    assertThat(school.core(GAMBLING).threshold()).isEqualTo(0.8);
    assertThat(group.core(GAMBLING).threshold()).isEqualTo(0.8);
    // action: global ALLOW, district BLOCK, school inherits BLOCK, group ALLOW again
    assertThat(policy.global().core(GAMES).action())
        .isEqualTo(CategoryAction.CATEGORY_ACTION_ALLOW);
    assertThat(district.core(GAMES).action()).isEqualTo(CategoryAction.CATEGORY_ACTION_BLOCK);
    assertThat(school.core(GAMES).action()).isEqualTo(CategoryAction.CATEGORY_ACTION_BLOCK);
    assertThat(group.core(GAMES).action()).isEqualTo(CategoryAction.CATEGORY_ACTION_ALLOW);
    // ttl field by field: negative from school, positive from global
    assertThat(group.ttls()).isEqualTo(new VerdictTtls(100, 20, 5));
    assertThat(district.ttls()).isEqualTo(new VerdictTtls(100, 50, 5));
    // block_on_alert: only the group turns it off
    assertThat(group.blockOnAlert()).isFalse();
    assertThat(school.blockOnAlert()).isTrue();
    assertThat(group.tenantId()).isEqualTo("group-1");
    assertThat(policy.lookup("")).isSameAs(policy.global());
    assertThat(policy.lookup("nobody")).isNull();
  }

  @Test
  void overridesMatchHostOrParentDomainUpToTheRegistrableDomainNearestLayerFirst()
      throws Exception {
    Policy policy = parse(LAYERED);
    var normalizer = UrlNormalizer.instance();
    DomainOverrides global = policy.global().overrides();
    assertThat(global.match(normalizer.normalize("https://www.casino.example/slots")).allow())
        .isFalse();
    assertThat(global.match(normalizer.normalize("https://casino.example/")).domain())
        .isEqualTo("casino.example");
    assertThat(global.match(normalizer.normalize("https://notcasino.example/"))).isNull();
    DomainOverrides school = policy.lookup("school-1").overrides();
    OverrideMatch allowed = school.match(normalizer.normalize("http://a.learn.casino.example/x"));
    assertThat(allowed.allow()).isTrue();
    assertThat(allowed.layer()).isEqualTo("district-1");
    assertThat(allowed.describe()).isEqualTo("allow override: learn.casino.example (district-1)");
    assertThat(school.match(normalizer.normalize("http://www.casino.example/")).allow()).isFalse();
  }

  @Test
  void nearestLayerWinsEvenOverAMoreSpecificEntryFurtherAway() throws Exception {
    Policy policy =
        parse(
            """
            id: p
            version: "1"
            overrides: {deny: [games.example.org]}
            tenants:
              school: {overrides: {allow: [example.org]}}
            """);
    var url = UrlNormalizer.instance().normalize("https://games.example.org/");
    assertThat(policy.global().overrides().match(url).allow()).isFalse();
    assertThat(policy.lookup("school").overrides().match(url).allow()).isTrue();
  }

  @Test
  void hostsUnderSuffixesUnknownToThePublicSuffixListMatchUpToTheirLastTwoLabels()
      throws Exception {
    Policy policy = parse("id: p\nversion: '1'\noverrides: {allow: [district.local, 10.0.0.7]}\n");
    var normalizer = UrlNormalizer.instance();
    DomainOverrides overrides = policy.global().overrides();
    assertThat(overrides.match(normalizer.normalize("http://portal.district.local/"))).isNotNull();
    assertThat(overrides.match(normalizer.normalize("http://other.local/"))).isNull();
    assertThat(overrides.match(normalizer.normalize("http://10.0.0.7:8080/x"))).isNotNull();
    assertThat(overrides.match(normalizer.normalize("http://10.0.0.8/"))).isNull();
  }

  @Test
  void overrideEntriesAreNormalizedLikeRequestHosts() throws Exception {
    Policy policy = parse("id: p\nversion: '1'\noverrides: {deny: ['WWW.Bücher.Example.']}\n");
    var url = UrlNormalizer.instance().normalize("http://www.xn--bcher-kva.example/");
    assertThat(policy.global().overrides().match(url)).isNotNull();
  }

  @Test
  void emergingCategoriesResolveWithTheirOwnDefault() throws Exception {
    Policy policy =
        parse(
            """
            id: p
            version: "1"
            emerging:
              default: {threshold: 0.6, action: ALLOW}
              categories:
                ai_homework_tools: {action: BLOCK}
            tenants:
              school:
                emerging: {consult_llm: false, categories: {ai_homework_tools: {threshold: 0.9}}}
            """);
    CategoryRule global = policy.global().emerging("ai_homework_tools");
    assertThat(global.threshold()).isEqualTo(0.6);
    assertThat(global.action()).isEqualTo(CategoryAction.CATEGORY_ACTION_BLOCK);
    CategoryRule school = policy.lookup("school").emerging("ai_homework_tools");
    assertThat(school.threshold()).isEqualTo(0.9);
    assertThat(school.action()).isEqualTo(CategoryAction.CATEGORY_ACTION_BLOCK);
    assertThat(policy.global().emerging("something_else").action())
        .isEqualTo(CategoryAction.CATEGORY_ACTION_ALLOW);
    assertThat(policy.global().consultLlmForEmerging()).isTrue();
    assertThat(policy.lookup("school").consultLlmForEmerging()).isFalse();
  }

  @Test
  void rejectsUnknownCategory() {
    assertThatThrownBy(
            () -> parse("id: p\nversion: '1'\ncategories: {gamblin: {threshold: 0.5}}\n"))
        .isInstanceOf(PolicyException.class)
        .hasMessageStartingWith("policy.yaml: categories.gamblin: unknown category 'gamblin'");
  }

  @Test
  void rejectsUnknownCategoryInATenant() {
    assertThatThrownBy(
            () ->
                parse("id: p\nversion: '1'\ntenants: {s: {categories: {porn: {action: BLOCK}}}}\n"))
        .hasMessageStartingWith("policy.yaml: tenants.s.categories.porn: unknown category 'porn'");
  }

  @Test
  void rejectsThresholdOutsideUnitInterval() {
    assertThatThrownBy(() -> parse("id: p\nversion: '1'\ncategories: {adult: {threshold: 5}}\n"))
        .hasMessage("policy.yaml: categories.adult.threshold: 5.0 is outside [0, 1]");
    assertThatThrownBy(() -> parse("id: p\nversion: '1'\ncategories: {adult: {threshold: -0.1}}\n"))
        .hasMessage("policy.yaml: categories.adult.threshold: -0.1 is outside [0, 1]");
    assertThatThrownBy(
            () -> parse("id: p\nversion: '1'\ncategories: {adult: {threshold: '0.5'}}\n"))
        .hasMessage("policy.yaml: categories.adult.threshold: must be a number");
  }

  @Test
  void rejectsUnknownAction() {
    assertThatThrownBy(() -> parse("id: p\nversion: '1'\ncategories: {adult: {action: BLOK}}\n"))
        .hasMessage(
            "policy.yaml: categories.adult.action: unknown action 'BLOK'; expected one of BLOCK, ALLOW, ALERT");
  }

  @Test
  void helpCategoriesAlertAndHarmfulOnesYieldByLayer() throws Exception {
    Policy policy =
        parse(
            """
        id: p
        version: '1'
        categories:
          self_harm: {yields_to: [self_harm_help]}
        tenants:
          strict: {categories: {self_harm_help: {alert: false}, self_harm: {yields_to: []}}}
        """);
    int selfHarm = CoreCategories.indexOf("self_harm");
    int help = CoreCategories.indexOf("self_harm_help");
    CategoryRule global = policy.lookup("").core(selfHarm);
    assertThat(global.alert()).isTrue();
    assertThat(global.yieldsTo()).containsExactly(help);
    assertThat(policy.lookup("").core(help).alert())
        .as("taxonomy default: self_harm_help alerts")
        .isTrue();
    assertThat(policy.lookup("").core(ADULT).alert()).isFalse();
    assertThat(policy.lookup("strict").core(help).alert()).isFalse();
    assertThat(policy.lookup("strict").core(selfHarm).yieldsTo()).isEmpty();
  }

  @Test
  void rejectsInvalidYieldsAndAContradictoryAlert() {
    assertThatThrownBy(
            () -> parse("id: p\nversion: '1'\ncategories: {adult: {yields_to: [sex_ed]}}\n"))
        .hasMessageStartingWith(
            "policy.yaml: categories.adult.yields_to[0]: unknown core category 'sex_ed'");
    assertThatThrownBy(
            () -> parse("id: p\nversion: '1'\ncategories: {adult: {yields_to: [adult]}}\n"))
        .hasMessage(
            "policy.yaml: categories.adult.yields_to[0]: a category cannot yield to itself");
    assertThatThrownBy(
            () -> parse("id: p\nversion: '1'\ncategories: {adult: {yields_to: sex_education}}\n"))
        .hasMessageContaining("must be a list of core category ids");
    assertThatThrownBy(
            () -> parse("id: p\nversion: '1'\ncategories: {self_harm: {alert: false}}\n"))
        .hasMessageStartingWith(
            "policy.yaml: categories.self_harm.alert: alert: false contradicts action ALERT");
  }

  @Test
  void rejectsParentCycle() {
    assertThatThrownBy(
            () ->
                parse(
                    """
                    id: p
                    version: "1"
                    tenants:
                      a: {parent: b}
                      b: {parent: c}
                      c: {parent: a}
                    """))
        .hasMessage("policy.yaml: tenants.a.parent: parent cycle a -> b -> c -> a");
    assertThatThrownBy(() -> parse("id: p\nversion: '1'\ntenants: {a: {parent: a}}\n"))
        .hasMessage("policy.yaml: tenants.a.parent: parent cycle a -> a");
  }

  @Test
  void rejectsUnknownParent() {
    assertThatThrownBy(
            () -> parse("id: p\nversion: '1'\ntenants: {school: {parent: district-99}}\n"))
        .hasMessageStartingWith("policy.yaml: tenants.school.parent: unknown tenant 'district-99'");
  }

  @Test
  void rejectsUnknownFieldsBadStructureAndMissingIds() {
    assertThatThrownBy(() -> parse("id: p\nversion: '1'\nthresholds: {}\n"))
        .hasMessageStartingWith("policy.yaml: thresholds: unknown field 'thresholds'");
    assertThatThrownBy(() -> parse("id: p\nversion: '1'\ncategories: {adult: {treshold: 0.5}}\n"))
        .hasMessageStartingWith("policy.yaml: categories.adult.treshold: unknown field 'treshold'");
    assertThatThrownBy(() -> parse("version: '1'\n")).hasMessage("policy.yaml: id: is required");
    assertThatThrownBy(() -> parse("id: p\n")).hasMessage("policy.yaml: version: is required");
    assertThatThrownBy(() -> parse("")).hasMessage("policy.yaml: policy file is empty");
    assertThatThrownBy(() -> parse("id: [unclosed\n"))
        .hasMessageStartingWith("policy.yaml: not valid YAML");
    assertThatThrownBy(() -> parse("id: p\nid: q\nversion: '1'\n"))
        .hasMessageContaining("Duplicate field 'id'");
    assertThatThrownBy(() -> parse("id: p\nversion: '1'\ntenants: {global: {}}\n"))
        .hasMessageStartingWith("policy.yaml: tenants.global:");
  }

  @Test
  void rejectsBadBandsTtlsAndOverrides() {
    assertThatThrownBy(
            () ->
                parse("id: p\nversion: '1'\ncategories: {adult: {uncertainty_band: [0.7, 0.3]}}\n"))
        .hasMessage("policy.yaml: categories.adult.uncertainty_band: low 0.7 is above high 0.3");
    assertThatThrownBy(() -> parse("id: p\nversion: '1'\nttl: {positive_seconds: -1}\n"))
        .hasMessageStartingWith("policy.yaml: ttl.positive_seconds: -1 is outside");
    assertThatThrownBy(
            () -> parse("id: p\nversion: '1'\noverrides: {deny: ['http://x.example/path']}\n"))
        .hasMessageStartingWith(
            "policy.yaml: overrides.deny[0]: 'http://x.example/path' is not a domain");
    assertThatThrownBy(() -> parse("id: p\nversion: '1'\noverrides: {deny: [co.uk]}\n"))
        .hasMessageStartingWith("policy.yaml: overrides.deny[0]: 'co.uk' is a public suffix");
    assertThatThrownBy(
            () ->
                parse("id: p\nversion: '1'\noverrides: {allow: [a.example], deny: [A.example]}\n"))
        .hasMessage(
            "policy.yaml: overrides.deny[0]: 'a.example' is both allowed and denied in the same layer");
    assertThatThrownBy(
            () -> parse("id: p\nversion: '1'\nemerging: {categories: {adult: {threshold: 0.5}}}\n"))
        .hasMessageStartingWith(
            "policy.yaml: emerging.categories.adult: 'adult' is a taxonomy category");
  }

  @Test
  void onTierLossIsResolvedPerCategoryThroughTheChainAndFailClosedIsItsBooleanSpelling()
      throws Exception {
    Policy policy =
        parse(
            """
            id: p
            version: "1"
            categories:
              adult: {on_tier_loss: url_only}
              gambling: {fail_closed: true}
            tenants:
              district: {categories: {adult: {on_tier_loss: ALLOW}}}
              school: {parent: district, categories: {games: {threshold: 0.4}}}
            """);
    int selfHarm = CoreCategories.indexOf("self_harm");
    TenantPolicy global = policy.global();
    assertThat(global.core(ADULT).onTierLoss()).isEqualTo(TierLossMode.URL_ONLY);
    assertThat(global.core(ADULT).failClosed()).isFalse();
    assertThat(global.core(GAMBLING).onTierLoss()).isEqualTo(TierLossMode.BLOCK);
    assertThat(global.core(selfHarm).onTierLoss())
        .as("taxonomy default: self_harm is ALERT, so it never blocks without evidence")
        .isEqualTo(TierLossMode.ALLOW);
    assertThat(global.core(ADULT).onTierLoss()).isEqualTo(TierLossMode.URL_ONLY);
    assertThat(global.core(GAMES).onTierLoss()).isEqualTo(TierLossMode.ALLOW);
    assertThat(policy.lookup("school").core(ADULT).onTierLoss())
        .as("inherited from the district")
        .isEqualTo(TierLossMode.ALLOW);
    assertThat(policy.lookup("school").core(GAMBLING).onTierLoss())
        .as("inherited from global")
        .isEqualTo(TierLossMode.BLOCK);
  }

  @Test
  void rejectsInvalidOnTierLossWithAPreciseMessage() {
    assertThatThrownBy(
            () -> parse("id: p\nversion: '1'\ncategories: {adult: {on_tier_loss: blok}}\n"))
        .isInstanceOf(PolicyException.class)
        .hasMessage(
            "policy.yaml: categories.adult.on_tier_loss: unknown value 'blok'; expected one of block, allow, url_only");
    assertThatThrownBy(
            () -> parse("id: p\nversion: '1'\ncategories: {adult: {on_tier_loss: true}}\n"))
        .hasMessage(
            "policy.yaml: categories.adult.on_tier_loss: unknown value 'true'; expected one of block, allow, url_only");
    assertThatThrownBy(
            () -> parse("id: p\nversion: '1'\ncategories: {adult: {on_tier_loss: [block]}}\n"))
        .hasMessage("policy.yaml: categories.adult.on_tier_loss: must be a plain value");
    assertThatThrownBy(
            () ->
                parse(
                    "id: p\nversion: '1'\ntenants: {s: {categories: {self_harm: {fail_closed: true, on_tier_loss: allow}}}}\n"))
        .hasMessageStartingWith(
            "policy.yaml: tenants.s.categories.self_harm.fail_closed: set either fail_closed or on_tier_loss, not both");
    assertThatThrownBy(
            () -> parse("id: p\nversion: '1'\nemerging: {default: {on_tier_loss: block}}\n"))
        .as("emerging categories come from the llm tier alone: no tier-loss mode")
        .hasMessageStartingWith(
            "policy.yaml: emerging.default.on_tier_loss: unknown field 'on_tier_loss'");
  }

  @Test
  void theEmbeddedDefaultPolicyBlocksNothingOnTierLoss() throws Exception {
    byte[] bytes;
    try (var in = PolicyParser.class.getResourceAsStream("/default-policy.yaml")) {
      bytes = in.readAllBytes();
    }
    TenantPolicy global = PolicyParser.parse("default-policy.yaml", bytes).global();
    for (int i = 0; i < CoreCategories.count(); i++) {
      String id = CoreCategories.id(i);
      assertThat(global.core(i).onTierLoss()).as(id).isEqualTo(TierLossMode.ALLOW);
    }
  }

  @Test
  void acceptsJson() throws Exception {
    Policy policy =
        PolicyParser.parse(
            "/etc/sieve/policy.json",
            "{\"id\":\"j\",\"version\":\"2\",\"categories\":{\"games\":{\"action\":\"BLOCK\"}}}"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(policy.version()).isEqualTo("2");
    assertThat(policy.global().core(GAMES).action())
        .isEqualTo(CategoryAction.CATEGORY_ACTION_BLOCK);
  }
}

package dev.sieve.router.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.CategoryAction;
import dev.sieve.proto.v1.CategoryInfo;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ListCategoriesRequest;
import dev.sieve.proto.v1.ListCategoriesResponse;
import dev.sieve.router.support.FakeTier;
import dev.sieve.router.support.RouterHarness;
import dev.sieve.router.tier.TierName;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * ListCategories over gRPC: the taxonomy's meaning plus what the tenant's policy does with each.
 */
class CategoryCatalogTest {

  private static final String POLICY =
      RouterHarness.TEST_POLICY
          + """
          emerging: {categories: {ai_homework_tools: {threshold: 0.8, action: BLOCK}}}
          tenants:
            district-1: {categories: {games: {threshold: 0.6, action: BLOCK}}}
          """;

  private static Map<String, CategoryInfo> byId(ListCategoriesResponse response) {
    return response.getCategoriesList().stream()
        .collect(Collectors.toMap(CategoryInfo::getId, Function.identity()));
  }

  @Test
  void listsTheTaxonomyThenEmergingCategoriesUnderTheTenantsPolicy() {
    FakeTier url = new FakeTier("url", Taxonomy.v1().ids());
    FakeTier llm = new FakeTier("llm", FakeTier.ids("ai_homework_tools", "vaping_promo"));
    try (RouterHarness h =
        RouterHarness.builder()
            .policy(POLICY)
            .tier(TierName.URL, url)
            .tier(TierName.LLM, llm)
            .build()) {
      ClassifierGrpc.ClassifierBlockingStub stub = ClassifierGrpc.newBlockingStub(h.channel());

      ListCategoriesResponse global =
          stub.listCategories(ListCategoriesRequest.getDefaultInstance());
      assertThat(global.getTaxonomyVersion()).isEqualTo(Taxonomy.VERSION);
      assertThat(global.getPolicyId()).isEqualTo("test-policy");
      assertThat(global.getPolicyVersion()).isEqualTo("7");
      assertThat(global.getDefaultPolicyApplied()).isFalse();
      assertThat(global.getCategoriesList().subList(0, Taxonomy.v1().size()))
          .extracting(CategoryInfo::getId)
          .containsExactlyElementsOf(Taxonomy.v1().ids());
      assertThat(
              global.getCategoriesList().subList(Taxonomy.v1().size(), global.getCategoriesCount()))
          .extracting(CategoryInfo::getId)
          .containsExactly("ai_homework_tools", "vaping_promo");

      CategoryInfo gambling = byId(global).get("gambling");
      var taxonomy = Taxonomy.v1().require("gambling");
      assertThat(gambling.getDisplayName()).isEqualTo(taxonomy.displayName());
      assertThat(gambling.getDefinition()).isEqualTo(taxonomy.definition()).isNotBlank();
      assertThat(gambling.getEmerging()).isFalse();
      assertThat(gambling.getDefaultAction()).isEqualTo(CategoryAction.CATEGORY_ACTION_BLOCK);

      CategoryInfo selfHarm = byId(global).get("self_harm");
      assertThat(selfHarm.getAlert()).isTrue();
      assertThat(selfHarm.getDefaultAction()).isEqualTo(CategoryAction.CATEGORY_ACTION_ALERT);

      CategoryInfo homework = byId(global).get("ai_homework_tools");
      assertThat(homework.getEmerging()).isTrue();
      assertThat(homework.getAction()).isEqualTo(CategoryAction.CATEGORY_ACTION_BLOCK);
      assertThat(homework.getThreshold()).isEqualTo(0.8);
      assertThat(homework.getDefinition()).as("known by id only").isEmpty();

      ListCategoriesResponse district =
          stub.listCategories(ListCategoriesRequest.newBuilder().setTenantId("district-1").build());
      assertThat(district.getEffectiveTenant()).isEqualTo("district-1");
      assertThat(byId(district).get("games").getAction())
          .isEqualTo(CategoryAction.CATEGORY_ACTION_BLOCK);
      assertThat(byId(district).get("games").getThreshold()).isEqualTo(0.6);
      assertThat(byId(global).get("games").getThreshold()).isEqualTo(0.5);

      ListCategoriesResponse unknown =
          stub.listCategories(ListCategoriesRequest.newBuilder().setTenantId("nobody").build());
      assertThat(unknown.getDefaultPolicyApplied()).isTrue();
      assertThat(unknown.getEffectiveTenant()).isEmpty();
    }
  }
}

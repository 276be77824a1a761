package dev.sieve.core.taxonomy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Taxonomy v1 (version {@value #VERSION}): the closed set of categories every tier scores and every
 * response reports.
 *
 * <p>Kept in code (not a file) because the ids are part of the API contract and changing them must
 * be a reviewed code change; emerging categories arrive by configuration through the LLM fallback
 * tier and are layered on top with {@link #withEmerging(List)}. The human-readable version of this
 * table is {@code docs/taxonomy.md}; a test keeps the two in step.
 */
public final class Taxonomy {

  /**
   * Version of the built-in category set; travels into model cards and responses. v1.1 added {@code
   * sex_education} and {@code self_harm_help} (ids are only ever added, never renamed): help and
   * education share vocabulary with adult and self_harm, and a filter that cannot tell them apart
   * blocks exactly the pages students need.
   */
  public static final String VERSION = "v1.1";

  private static final Taxonomy V1 =
      new Taxonomy(
          List.of(
              new Category(
                  "adult",
                  "Adult / sexual content",
                  "Pornography, sexually explicit material, escort and sex-cam services. Not sex "
                      + "education, LGBTQ+ resources or health information (sex_education).",
                  DefaultAction.BLOCK,
                  true,
                  false),
              new Category(
                  "sex_education",
                  "Sex education and sexual health",
                  "Sex education, puberty, contraception, consent, sexual and reproductive health and "
                      + "LGBTQ+ health information written to inform. Never blocked by default; adult "
                      + "yields to it when both are decided.",
                  DefaultAction.ALLOW,
                  false,
                  false),
              new Category(
                  "violence",
                  "Violence and gore",
                  "Content that glorifies, depicts in graphic detail or incites violence; shock and gore"
                      + " sites. Not news reporting or history about violence.",
                  DefaultAction.BLOCK,
                  false,
                  false),
              new Category(
                  "self_harm",
                  "Self-harm and suicide",
                  "Content that encourages, instructs or glorifies suicide, self-injury or eating "
                      + "disorders, or in which a person states their own intent or plan to harm "
                      + "themselves. Help and prevention resources are self_harm_help.",
                  // Not fail-closed: the action is ALERT (shown, a counsellor told), so blocking
                  // without evidence would be stricter than blocking with it, and would alert no
                  // one.
                  DefaultAction.ALERT,
                  false,
                  false),
              new Category(
                  "self_harm_help",
                  "Self-harm help and prevention",
                  "Help, prevention and recovery resources about suicide, self-injury and eating "
                      + "disorders: crisis lines, health information, support for someone at risk. "
                      + "Never blocked by default; raises the wellness alert so a counsellor can follow up.",
                  DefaultAction.ALLOW,
                  false,
                  false,
                  true),
              new Category(
                  "weapons",
                  "Weapons",
                  "Sale, manufacture or modification of firearms, explosives and other weapons.",
                  DefaultAction.BLOCK,
                  false,
                  false),
              new Category(
                  "drugs",
                  "Drugs, alcohol and tobacco",
                  "Sale or promotion of illegal drugs, drug paraphernalia, vaping, alcohol and tobacco"
                      + " to minors. Not drug-education or addiction-help resources.",
                  DefaultAction.BLOCK,
                  false,
                  false),
              new Category(
                  "gambling",
                  "Gambling",
                  "Online casinos, sports betting, poker, lotteries and gambling promotion.",
                  DefaultAction.BLOCK,
                  false,
                  false),
              new Category(
                  "hate",
                  "Hate speech",
                  "Content attacking people for protected attributes (race, religion, gender, sexual "
                      + "orientation, disability). Offensive language alone is not hate.",
                  DefaultAction.BLOCK,
                  false,
                  false),
              new Category(
                  "dating",
                  "Dating",
                  "Dating and hook-up services and personals.",
                  DefaultAction.BLOCK,
                  false,
                  false),
              new Category(
                  "social_media",
                  "Social media",
                  "Social networks and their content-sharing sites.",
                  DefaultAction.ALLOW,
                  false,
                  false),
              new Category(
                  "games",
                  "Games",
                  "Online games, game portals and game-distribution sites (educational games are "
                      + "scored as games too; policy may allow them).",
                  DefaultAction.ALLOW,
                  false,
                  false),
              new Category(
                  "streaming",
                  "Streaming media",
                  "Video and audio streaming and sharing services.",
                  DefaultAction.ALLOW,
                  false,
                  false),
              new Category(
                  "chat",
                  "Chat and messaging",
                  "Web chat rooms, instant messaging and anonymous chat services.",
                  DefaultAction.BLOCK,
                  false,
                  false),
              new Category(
                  "proxy_circumvention",
                  "Proxies and circumvention",
                  "Web proxies, anonymizers, VPN services and other tools that bypass the filter.",
                  DefaultAction.BLOCK,
                  false,
                  false),
              new Category(
                  "security_threat",
                  "Security threats",
                  "Malware, phishing, scams, cryptojacking and other hosts that attack the visitor.",
                  DefaultAction.BLOCK,
                  false,
                  false),
              new Category(
                  "piracy",
                  "Piracy",
                  "Unlicensed copies of software, media or books; torrent indexes and warez.",
                  DefaultAction.BLOCK,
                  false,
                  false),
              new Category(
                  "shopping",
                  "Shopping",
                  "Online stores, marketplaces and auctions.",
                  DefaultAction.ALLOW,
                  false,
                  false),
              new Category(
                  "news",
                  "News",
                  "News outlets and press, including reporting about violence and crime.",
                  DefaultAction.ALLOW,
                  false,
                  false),
              new Category(
                  "education",
                  "Education",
                  "Schools, universities, libraries, reference works and learning resources.",
                  DefaultAction.ALLOW,
                  false,
                  false),
              new Category(
                  "sports",
                  "Sports",
                  "Sports news, teams, leagues and athletics (not sports betting).",
                  DefaultAction.ALLOW,
                  false,
                  false)));

  private final Map<String, Category> byId;

  private Taxonomy(List<Category> categories) {
    Map<String, Category> map = new LinkedHashMap<>();
    for (Category category : categories) {
      if (map.put(category.id(), category) != null) {
        throw new IllegalArgumentException("duplicate category id: " + category.id());
      }
    }
    this.byId = Collections.unmodifiableMap(map);
  }

  /** The built-in v1 taxonomy. */
  public static Taxonomy v1() {
    return V1;
  }

  /**
   * This taxonomy plus configured emerging categories. Emerging ids may not shadow a built-in id,
   * because a policy written for the built-in category would silently change meaning.
   */
  public Taxonomy withEmerging(List<Category> emerging) {
    List<Category> all = new ArrayList<>(byId.values());
    for (Category category : emerging) {
      if (byId.containsKey(category.id())) {
        throw new IllegalArgumentException(
            "emerging category '" + category.id() + "' shadows a built-in taxonomy category");
      }
      all.add(category);
    }
    return new Taxonomy(all);
  }

  /** Categories in taxonomy order (the order responses list them in). */
  public List<Category> categories() {
    return List.copyOf(byId.values());
  }

  /** Category ids in taxonomy order. */
  public List<String> ids() {
    return List.copyOf(byId.keySet());
  }

  public Optional<Category> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** The category, or an {@link IllegalArgumentException} naming the unknown id. */
  public Category require(String id) {
    Category category = byId.get(id);
    if (category == null) {
      throw new IllegalArgumentException("unknown category '" + id + "'; known: " + byId.keySet());
    }
    return category;
  }

  /**
   * The help category that shares a harmful category's vocabulary (v1.1 split it off so that help
   * is never blocked): adult -> sex_education, self_harm -> self_harm_help. Trainers use the pair
   * for hard negatives (a sex-education text is the adult negative that matters most); the default
   * policy makes the harmful category yield to its help category.
   */
  public Optional<String> helpFor(String id) {
    return Optional.ofNullable(
            switch (id) {
              case "adult" -> "sex_education";
              case "self_harm" -> "self_harm_help";
              default -> null;
            })
        .filter(byId::containsKey);
  }

  public boolean contains(String id) {
    return byId.containsKey(id);
  }

  public int size() {
    return byId.size();
  }
}

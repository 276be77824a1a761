package dev.sieve.router.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sieve.core.security.ApiKeys;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which credential belongs to which tenant: API keys (stored only as SHA-256 hashes) and client
 * certificate identities. Parsed from the client-auth file ({@code SIEVE_CLIENT_AUTH_FILE}):
 *
 * <pre>
 * tenants:
 *   district-a:
 *     api_keys:                  # sha256 of each key; generate keys with ./sieve auth new-key
 *       - sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
 *     certificate_identities:    # DNS/URI SAN or CN of client certificates (mTLS)
 *       - filter.district-a.example
 * </pre>
 *
 * <p>A plain SHA-256 (no salt, no stretching, see {@link ApiKeys}) is the right hash here: keys are
 * 256-bit random strings, not passwords, so there is nothing to brute-force, and the lookup must
 * cost nanoseconds on every call. The file holds no secret and may live in a ConfigMap, though a
 * Secret is recommended. A key hash or identity listed for two tenants is an error: a credential
 * names exactly one tenant.
 */
public record TenantCredentials(
    Map<String, String> tenantByKeyHash, Map<String, String> tenantByIdentity) {

  private static final Pattern HASH = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
  private static final Set<String> TENANT_FIELDS = Set.of("api_keys", "certificate_identities");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  public TenantCredentials {
    tenantByKeyHash = Map.copyOf(tenantByKeyHash);
    tenantByIdentity = Map.copyOf(tenantByIdentity);
  }

  /** The tenant of an API key (hashed here), if any. */
  public Optional<String> tenantOfKey(String apiKey) {
    return Optional.ofNullable(tenantByKeyHash.get(hash(apiKey)));
  }

  /** The tenant of the first certificate identity that is listed, if any. */
  public Optional<String> tenantOfCertificate(Set<String> identities) {
    for (String identity : identities) {
      String tenant = tenantByIdentity.get(identity);
      if (tenant != null) {
        return Optional.of(tenant);
      }
    }
    return Optional.empty();
  }

  /** The stored form of a key: {@code sha256:<hex>} (core's {@link ApiKeys#hash}). */
  public static String hash(String apiKey) {
    return ApiKeys.hash(apiKey);
  }

  /**
   * Parses the file.
   *
   * @param source file name for messages
   * @throws IllegalArgumentException naming the tenant and entry that is wrong
   */
  public static TenantCredentials parse(String source, byte[] yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not valid YAML: " + e.getMessage());
    }
    if (root == null || !root.isObject() || !root.path("tenants").isObject()) {
      throw new IllegalArgumentException(
          source + ": expected a top-level 'tenants:' map of tenant id to credentials");
    }
    Iterator<String> topLevel = root.fieldNames();
    while (topLevel.hasNext()) {
      String field = topLevel.next();
      if (!field.equals("tenants")) {
        throw new IllegalArgumentException(
            source + ": unknown top-level key '" + field + "' (only 'tenants')");
      }
    }
    Map<String, String> byKey = new HashMap<>();
    Map<String, String> byIdentity = new HashMap<>();
    var tenants = root.path("tenants").fields();
    while (tenants.hasNext()) {
      var entry = tenants.next();
      String tenant = entry.getKey();
      String where = source + ": tenant '" + tenant + "'";
      if (!TENANT.matcher(tenant).matches()) {
        throw new IllegalArgumentException(
            where + ": tenant ids are 1-128 letters, digits, '.', '_', ':' or '-'");
      }
      JsonNode credentials = entry.getValue();
      if (!credentials.isObject()) {
        throw new IllegalArgumentException(
            where + ": expected api_keys and/or certificate_identities");
      }
      credentials
          .fieldNames()
          .forEachRemaining(
              field -> {
                if (!TENANT_FIELDS.contains(field)) {
                  throw new IllegalArgumentException(
                      where + ": unknown key '" + field + "' (api_keys, certificate_identities)");
                }
              });
      for (String hash : strings(credentials.path("api_keys"), where + ".api_keys")) {
        if (!HASH.matcher(hash).matches()) {
          throw new IllegalArgumentException(
              where
                  + ".api_keys: '"
                  + abbreviate(hash)
                  + "' is not sha256:<64 lower-case hex> (store the hash, never"
                  + " the key; ./sieve auth new-key prints both)");
        }
        claim(byKey, hash, tenant, where + ".api_keys: key hash " + abbreviate(hash));
      }
      for (String identity :
          strings(credentials.path("certificate_identities"), where + ".certificate_identities")) {
        claim(byIdentity, identity, tenant, where + ".certificate_identities: '" + identity + "'");
      }
    }
    return new TenantCredentials(byKey, byIdentity);
  }

  private static Iterable<String> strings(JsonNode node, String where) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException(where + ": expected a list");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isTextual() || item.asText().isBlank()) {
        throw new IllegalArgumentException(where + ": every entry must be a non-empty string");
      }
      values.add(item.asText().strip());
    }
    return values;
  }

  private static void claim(
      Map<String, String> owners, String credential, String tenant, String where) {
    String previous = owners.putIfAbsent(credential, tenant);
    if (previous != null && !previous.equals(tenant)) {
      throw new IllegalArgumentException(
          where + " is also listed for tenant '" + previous + "': a credential names one tenant");
    }
  }

  private static String abbreviate(String value) {
    return value.length() <= 16 ? value : value.substring(0, 16) + "...";
  }
}

package dev.sieve.icap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The tenant map and the unavailable policy: what they resolve, and that a bad setting stops the
 * start.
 */
class AdapterSettingsTest {

  private static IcapRequest request(String... headers) {
    List<HttpHead.Header> list = new ArrayList<>();
    for (int i = 0; i < headers.length; i += 2) {
      list.add(new HttpHead.Header(headers[i], headers[i + 1]));
    }
    return new IcapRequest(
        "REQMOD", "icap://h/reqmod", list, Optional.empty(), Optional.empty(), null);
  }

  @Test
  void clientAddressesMatchTheFirstCidrThatContainsThem() {
    TenantResolver tenants =
        TenantResolver.of(
            "",
            "10.1.0.0/16=district-a, 10.0.0.0/8=district-b,2001:db8::/32=v6,192.168.7.9=one-host");

    assertThat(tenants.resolve(request("X-Client-IP", "10.1.200.3"))).isEqualTo("district-a");
    assertThat(tenants.resolve(request("X-Client-IP", "10.2.0.1"))).isEqualTo("district-b");
    assertThat(tenants.resolve(request("X-Client-IP", "2001:db8::7"))).isEqualTo("v6");
    assertThat(tenants.resolve(request("X-Client-IP", "192.168.7.9"))).isEqualTo("one-host");
    assertThat(tenants.resolve(request("X-Client-IP", "192.168.7.10"))).isEmpty();
    assertThat(tenants.resolve(request("X-Client-IP", "not-an-address"))).isEmpty();
    assertThat(tenants.resolve(request())).isEmpty();
  }

  @Test
  void theHeaderWinsOverTheAddressAndAnEmptyHeaderIsIgnored() {
    TenantResolver tenants = TenantResolver.of("X-Sieve-Tenant", "10.0.0.0/8=district-b");

    assertThat(tenants.resolve(request("x-sieve-tenant", "district-9", "X-Client-IP", "10.0.0.1")))
        .isEqualTo("district-9");
    assertThat(tenants.resolve(request("X-Sieve-Tenant", "  ", "X-Client-IP", "10.0.0.1")))
        .isEqualTo("district-b");
  }

  @Test
  void malformedTenantMapsAreRefused() {
    assertThatThrownBy(() -> TenantResolver.of("", "10.0.0.0/8"))
        .hasMessageContaining("not CIDR=tenant");
    assertThatThrownBy(() -> TenantResolver.of("", "10.0.0.0/33=x"))
        .hasMessageContaining("bad prefix length");
    assertThatThrownBy(() -> TenantResolver.of("", "school.example/8=x"))
        .hasMessageContaining("not an IP address");
  }

  @Test
  void unavailablePolicyIsPerTenantWithADefault() {
    UnavailablePolicy policy =
        UnavailablePolicy.of("block", "district-a=allow, district-b=fail-closed");

    assertThat(policy.forTenant("district-a")).isEqualTo(UnavailablePolicy.Mode.ALLOW);
    assertThat(policy.forTenant("district-b")).isEqualTo(UnavailablePolicy.Mode.BLOCK);
    assertThat(policy.forTenant("")).isEqualTo(UnavailablePolicy.Mode.BLOCK);
    assertThat(UnavailablePolicy.of("allow", "").forTenant("x"))
        .isEqualTo(UnavailablePolicy.Mode.ALLOW);
    assertThatThrownBy(() -> UnavailablePolicy.of("maybe", ""))
        .hasMessageContaining("expected allow or block");
    assertThatThrownBy(() -> UnavailablePolicy.of("block", "=allow"))
        .hasMessageContaining("tenant=allow|block");
  }

  @Test
  void requestUrlsComeFromTheAbsoluteFormTheConnectAuthorityOrHostAndPath() throws Exception {
    assertThat(IcapService.requestUrl(head("GET http://a.example/x?y=1 HTTP/1.1\r\n\r\n")))
        .isEqualTo("http://a.example/x?y=1");
    assertThat(IcapService.requestUrl(head("CONNECT www.pokerstars.com:443 HTTP/1.1\r\n\r\n")))
        .isEqualTo("https://www.pokerstars.com/");
    assertThat(IcapService.requestUrl(head("CONNECT chat.example:8443 HTTP/1.1\r\n\r\n")))
        .isEqualTo("https://chat.example:8443/");
    assertThat(IcapService.requestUrl(head("GET /path HTTP/1.1\r\nHost: b.example\r\n\r\n")))
        .isEqualTo("http://b.example/path");
    assertThat(IcapService.requestUrl(head("GET /path HTTP/1.1\r\n\r\n"))).isNull();
  }

  private static HttpHead head(String text) throws IcapProtocolException {
    return HttpHead.parse(text.getBytes(StandardCharsets.ISO_8859_1));
  }
}

#include "net/fetch.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "support/fixture_site.hpp"

namespace ita::net {
namespace {

using namespace std::chrono_literals;
using Site = ita::testing::FixtureSite;
using Clock = std::chrono::steady_clock;

// Options for the loopback fixture: its addresses allowed, its CA trusted.
FetchOptions local(const Site& site) {
  FetchOptions options;
  options.allow_private = true;
  options.extra_ca_file = site.ca_file();
  options.total_timeout = 5s;
  return options;
}

FetchResult fetch(const std::string& url, const FetchOptions& options) {
  return fetch_all({url}, options).at(0);
}

class FetchTest : public ::testing::Test {
 protected:
  Site site;
};

TEST_F(FetchTest, AGoodPageIsFetchedOverHttps) {
  site.page("/good", "text/html; charset=utf-8", "<html>หลักฐาน</html>");
  for (const auto& url : {site.https_url("/good"), site.other_https_url("/good")}) {
    const FetchResult r = fetch(url, local(site));
    EXPECT_EQ(r.error, FetchError::None) << url << ": " << r.detail;
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "<html>หลักฐาน</html>");
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(r.url, url);
    EXPECT_EQ(r.final_url, url);
    EXPECT_TRUE(r.redirects.empty());
  }
}

TEST_F(FetchTest, AGoodPageIsFetchedOverHttpWithItsHeaders) {
  site.page("/good", "text/plain", "ok");
  const FetchResult r = fetch(site.http_url("/good?x=1#top"), local(site));
  EXPECT_EQ(r.error, FetchError::None) << r.detail;
  EXPECT_EQ(r.body, "ok");
  EXPECT_EQ(site.last_header("/good", "host"), "127.0.0.1:" + std::to_string(site.http_port()));
  EXPECT_EQ(site.last_header("/good", "accept-encoding"), "identity");
  EXPECT_EQ(site.last_header("/good", "user-agent"), FetchOptions{}.user_agent);
  EXPECT_NE(site.last_header("/good", "accept"), "");
}

TEST_F(FetchTest, A404IsReportedWithItsStatus) {
  site.status("/gone", 404, "no such page");
  const FetchResult r = fetch(site.https_url("/gone"), local(site));
  EXPECT_EQ(r.error, FetchError::None) << r.detail;
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, "no such page");
  EXPECT_EQ(fetch(site.http_url("/never-registered"), local(site)).status, 404);
}

TEST_F(FetchTest, RedirectsAreFollowedAcrossHostsAndSchemes) {
  site.page("/dir/final", "text/html", "here");
  site.redirect("/start", site.other_https_url("/dir/step"), 301);
  site.redirect("/dir/step", "final", 302);  // relative to /dir/
  const FetchResult r = fetch(site.http_url("/start"), local(site));
  EXPECT_EQ(r.error, FetchError::None) << r.detail;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "here");
  EXPECT_EQ(r.redirects, (std::vector<std::string>{site.other_https_url("/dir/step"),
                                                   site.other_https_url("/dir/final")}));
  EXPECT_EQ(r.final_url, site.other_https_url("/dir/final"));
  // https → http is allowed too, each hop checked again.
  site.redirect("/down", site.http_url("/dir/final"), 307);
  EXPECT_EQ(fetch(site.https_url("/down"), local(site)).body, "here");
}

TEST_F(FetchTest, ARedirectLoopStopsAfterFiveHops) {
  site.redirect("/loop1", "/loop2");
  site.redirect("/loop2", "/loop1");
  const FetchResult r = fetch(site.http_url("/loop1"), local(site));
  EXPECT_EQ(r.error, FetchError::TooManyRedirects);
  EXPECT_EQ(r.redirects.size(), 5u);
  EXPECT_EQ(site.hits("/loop1") + site.hits("/loop2"), 6);
  EXPECT_EQ(fetch_error_code(r.error), "too_many_redirects");
}

TEST_F(FetchTest, A50MBFileStopsAtTheCap) {
  site.big("/big", 50u << 20);
  site.big("/big-chunked", 50u << 20, true);
  FetchOptions options = local(site);
  options.max_bytes = 1u << 20;
  const FetchResult announced = fetch(site.http_url("/big"), options);
  EXPECT_EQ(announced.error, FetchError::TooLarge);
  EXPECT_EQ(announced.status, 200);
  EXPECT_TRUE(announced.body.empty());  // refused on its Content-Length, unread
  for (const auto& url : {site.http_url("/big-chunked"), site.https_url("/big-chunked")}) {
    const FetchResult r = fetch(url, options);
    EXPECT_EQ(r.error, FetchError::TooLarge) << url << ": " << r.detail;
    EXPECT_LE(r.body.size(), options.max_bytes);
    EXPECT_LE(r.body.capacity(), 2 * options.max_bytes);
  }
}

TEST_F(FetchTest, APageThatNeverFinishesTimesOut) {
  site.stall("/slow");
  FetchOptions options = local(site);
  options.total_timeout = 1s;
  for (const auto& url : {site.http_url("/slow"), site.https_url("/slow")}) {
    const auto start = Clock::now();
    const FetchResult r = fetch(url, options);
    EXPECT_LT(Clock::now() - start, 3s);
    EXPECT_EQ(r.error, FetchError::Timeout) << url << ": " << r.detail;
    EXPECT_GE(r.elapsed, 1s);
  }
}

TEST_F(FetchTest, AShortBodyIsTruncated) {
  site.truncated("/short", 1000, "abc");
  for (const auto& url : {site.http_url("/short"), site.https_url("/short")}) {
    const FetchResult r = fetch(url, local(site));
    EXPECT_EQ(r.error, FetchError::Truncated) << url << ": " << r.detail;
    EXPECT_EQ(r.status, 200);
  }
}

TEST_F(FetchTest, InternalAddressesAreRefusedUnlessAllowed) {
  site.page("/good", "text/html", "ok");
  const std::string port = std::to_string(site.http_port());
  const std::vector<std::string> urls{
      site.http_url("/good"),
      "http://10.0.0.1/",
      "http://169.254.169.254/latest/",
      "http://[::1]:" + port + "/good",
      site.other_http_url("/good"),
      "http://192.168.1.1:" + port + "/",
      "http://[fe80::1]/",
      "http://0.0.0.0:" + port + "/good",
  };
  FetchOptions options;
  options.connect_timeout = 500ms;
  for (const FetchResult& r : fetch_all(urls, options)) {
    EXPECT_EQ(r.error, FetchError::PrivateAddress) << r.url << ": " << r.detail;
  }
  EXPECT_EQ(site.connections_total(), 0);
  EXPECT_EQ(fetch(site.http_url("/good"), local(site)).error, FetchError::None);
  EXPECT_EQ(site.connections_total(), 1);
}

TEST_F(FetchTest, ARedirectToAnInternalAddressIsRefused) {
  site.page("/good", "text/html", "ok");
  const std::string port = std::to_string(site.http_port());
  site.redirect("/to-other-loopback", "http://127.0.0.2:" + port + "/good");
  site.redirect("/to-metadata", "http://169.254.169.254/latest/meta-data/");
  FetchOptions options;
  options.allow_addresses = {"127.0.0.1"};  // the fixture itself, nothing else
  for (const auto& path : {"/to-other-loopback", "/to-metadata"}) {
    const FetchResult r = fetch(site.http_url(path), options);
    EXPECT_EQ(r.error, FetchError::PrivateAddress) << path << ": " << r.detail;
    EXPECT_EQ(r.redirects.size(), 1u);
    EXPECT_EQ(r.status, 0);
  }
  EXPECT_EQ(site.connections_total(), 2);  // the two first hops, never the internal targets
  EXPECT_EQ(site.hits("/good"), 0);
}

TEST_F(FetchTest, CredentialsAndOtherSchemesAreRefused) {
  site.page("/good", "text/html", "ok");
  const std::string port = std::to_string(site.http_port());
  const std::vector<std::pair<std::string, FetchError>> cases{
      {"ftp://127.0.0.1:" + port + "/good", FetchError::BadUrl},
      {"file:///etc/passwd", FetchError::BadUrl},
      {"javascript:alert(1)", FetchError::BadUrl},
      {"", FetchError::BadUrl},
      {"/good", FetchError::BadUrl},
      {"http:///good", FetchError::BadUrl},
      {"http://127.0.0.1:99999/good", FetchError::BadUrl},
      {"http://user:pw@127.0.0.1:" + port + "/good", FetchError::Credentials},
      {"https://user@127.0.0.1:" + port + "/good", FetchError::Credentials},
  };
  std::vector<std::string> urls;
  for (const auto& c : cases) urls.push_back(c.first);
  const auto results = fetch_all(urls, local(site));
  for (std::size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(results[i].url, cases[i].first);
    EXPECT_EQ(results[i].error, cases[i].second) << cases[i].first << ": " << results[i].detail;
  }
  EXPECT_EQ(site.connections_total(), 0);
}

TEST_F(FetchTest, AnUntrustedCertificateFails) {
  site.page("/good", "text/html", "ok");
  FetchOptions options = local(site);
  options.extra_ca_file.clear();
  const FetchResult r = fetch(site.https_url("/good"), options);
  EXPECT_EQ(r.error, FetchError::TlsFailed) << r.detail;
  EXPECT_EQ(site.hits("/good"), 0);
  options.extra_ca_file = "/nonexistent/ca.pem";
  EXPECT_EQ(fetch(site.https_url("/good"), options).error, FetchError::TlsFailed);
}

TEST_F(FetchTest, ACertificateForAnotherHostFails) {
  site.page("/good", "text/html", "ok");
  // The same server through an IPv4-mapped IPv6 address, which its certificate does not name.
  const std::string url =
      "https://[::ffff:127.0.0.1]:" + std::to_string(site.https_port()) + "/good";
  const FetchResult r = fetch(url, local(site));
  EXPECT_EQ(r.error, FetchError::TlsFailed) << r.detail;
  EXPECT_EQ(site.hits("/good"), 0);
  EXPECT_EQ(fetch(site.https_url("/good"), local(site)).error, FetchError::None);
}

TEST_F(FetchTest, UnresolvableAndClosedHostsFail) {
  unsigned short closed_port = 0;
  {
    Site closed;
    closed_port = closed.http_port();
  }
  FetchOptions options = local(site);
  const auto results = fetch_all(
      {"http://no-such-host.invalid/", "http://127.0.0.1:" + std::to_string(closed_port) + "/"},
      options);
  EXPECT_EQ(results[0].error, FetchError::DnsFailed) << results[0].detail;
  EXPECT_EQ(results[1].error, FetchError::ConnectFailed) << results[1].detail;
}

TEST_F(FetchTest, NoMoreThanPerHostConnectionsAtOnce) {
  site.delayed("/slow", 200ms, "ok");
  FetchOptions options = local(site);
  options.per_host = 2;
  const std::vector<std::string> urls(6, site.http_url("/slow"));
  const auto start = Clock::now();
  for (const FetchResult& r : fetch_all(urls, options)) EXPECT_EQ(r.error, FetchError::None);
  EXPECT_GE(Clock::now() - start, 600ms);  // three rounds of two
  EXPECT_EQ(site.connections_max(), 2);
  EXPECT_EQ(site.connections_total(), 6);
}

TEST_F(FetchTest, NoMoreThanMaxParallelConnectionsOverall) {
  site.delayed("/slow", 200ms, "ok");
  FetchOptions options = local(site);
  options.per_host = 4;
  options.max_parallel = 3;
  std::vector<std::string> urls;
  for (int i = 0; i < 4; ++i) {
    urls.push_back(site.http_url("/slow"));
    urls.push_back(site.other_http_url("/slow"));
  }
  for (const FetchResult& r : fetch_all(urls, options)) EXPECT_EQ(r.error, FetchError::None);
  EXPECT_EQ(site.connections_max(), 3);
}

TEST_F(FetchTest, FortyThreeUrlsWithTenStallsFinishWithinTheTimeout) {
  site.page("/good", "text/html", "ok");
  site.stall("/stall");
  std::vector<std::string> urls;
  for (int i = 0; i < 43; ++i) {
    const std::string path = (i % 4 == 1 && i < 40 ? "/stall?" : "/good?") + std::to_string(i);
    urls.push_back(i % 2 ? site.https_url(path) : site.http_url(path));
  }
  FetchOptions options = local(site);
  options.total_timeout = 1s;
  options.per_host = 16;  // one loopback host here; an agency's site has the default 2
  const auto start = Clock::now();
  const auto results = fetch_all(urls, options);
  EXPECT_LT(Clock::now() - start, 2500ms);
  ASSERT_EQ(results.size(), urls.size());
  int timeouts = 0;
  for (std::size_t i = 0; i < urls.size(); ++i) {
    EXPECT_EQ(results[i].url, urls[i]);
    const bool stalls = urls[i].find("/stall") != std::string::npos;
    EXPECT_EQ(results[i].error, stalls ? FetchError::Timeout : FetchError::None) << urls[i];
    timeouts += stalls;
  }
  EXPECT_EQ(timeouts, 10);
}

TEST(FetchErrorCode, EachErrorHasItsOwnCode) {
  EXPECT_EQ(fetch_error_code(FetchError::None), "none");
  EXPECT_EQ(fetch_error_code(FetchError::BadUrl), "bad_url");
  EXPECT_EQ(fetch_error_code(FetchError::PrivateAddress), "private_address");
  EXPECT_EQ(fetch_error_code(FetchError::Truncated), "truncated");
  EXPECT_EQ(fetch_error_code(FetchError::Protocol), "protocol");
}

TEST(IsPublicAddress, PublicAddressesPass) {
  for (const char* ip :
       {"8.8.8.8", "1.1.1.1", "203.0.114.1", "172.32.0.1", "100.128.0.1", "2001:4860:4860::8888",
        "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"}) {
    EXPECT_TRUE(is_public_address(ip)) << ip;
  }
}

TEST(IsPublicAddress, InternalAndReservedAddressesDoNot) {
  for (const char* ip : {"127.0.0.1",
                         "127.255.255.254",
                         "10.0.0.1",
                         "172.16.0.1",
                         "172.31.255.255",
                         "192.168.1.1",
                         "100.64.0.1",
                         "169.254.169.254",
                         "0.0.0.0",
                         "224.0.0.1",
                         "239.255.255.250",
                         "255.255.255.255",
                         "240.0.0.1",
                         "192.0.2.1",
                         "198.51.100.7",
                         "203.0.113.9",
                         "198.18.0.1",
                         "::",
                         "::1",
                         "fc00::1",
                         "fd12:3456::1",
                         "fe80::1",
                         "ff02::1",
                         "2001:db8::1",
                         "::ffff:127.0.0.1",
                         "::ffff:10.1.2.3",
                         "::ffff:169.254.169.254",
                         "64:ff9b::a00:1",
                         "2002:a00:1::1",
                         "2001::1",
                         "::127.0.0.1",
                         "not an address",
                         "",
                         "1.2.3",
                         "[::1]"}) {
    EXPECT_FALSE(is_public_address(ip)) << ip;
  }
}

}  // namespace
}  // namespace ita::net

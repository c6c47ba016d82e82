#pragma once
// Outbound HTTP(S) for the OIT evidence check: fetches an agency's evidence URLs safely (only
// public addresses, certificates verified, bounded in time, size and connections).
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ita::net {

// Why a URL gave no usable response; None when it did (whatever its HTTP status).
enum class FetchError {
  None,
  BadUrl,            // not an absolute http/https URL, or one that cannot be sent as is
  Credentials,       // user:password@ in the URL (never sent anywhere)
  PrivateAddress,    // the host resolves to an address that is not public
  DnsFailed,         // the host name does not resolve
  ConnectFailed,     // no TCP connection to any of its addresses
  TlsFailed,         // TLS handshake or certificate verification failed
  Timeout,           // total_timeout passed before the response was complete
  TooLarge,          // the body is larger than max_bytes
  TooManyRedirects,  // more than max_redirects redirects (a loop, say)
  Truncated,         // the connection ended before the body its headers announced
  Protocol,          // not HTTP, headers too large, a redirect without a usable Location...
};

// The stable lower-case code of an error, for logs, JSON and storage: "none", "bad_url",
// "credentials", "private_address", "dns_failed", "connect_failed", "tls_failed", "timeout",
// "too_large", "too_many_redirects", "truncated", "protocol".
std::string_view fetch_error_code(FetchError error);

struct FetchOptions {
  std::chrono::milliseconds connect_timeout{5000};  // also the longest wait for a DNS lookup
  std::chrono::milliseconds total_timeout{20000};   // per URL, redirects included
  std::size_t max_bytes = 10 * 1024 * 1024;         // body cap: TooLarge, reading stops there
  int max_redirects = 5;
  // Connections at once to one host (the URL's host name): as browsers open 6, 4 is polite to
  // a small municipal server and keeps an agency's check of 43 URLs on one host short.
  int per_host = 4;
  int max_parallel = 16;       // connections at once overall
  bool allow_private = false;  // loopback/private/link-local/ULA/... addresses: tests only
  // Addresses accepted although not public (e.g. "127.0.0.1"), the rest still refused: tests
  // only, to check a redirect from a loopback fixture to another internal address.
  std::vector<std::string> allow_addresses;
  std::string extra_ca_file;  // a PEM added to the system's trust store (tests' CA)
  std::string user_agent =
      "OpenITA-evidence-check/1.0 (+https://github.com/openita; ตรวจความพร้อมหลักฐาน OIT)";
};

struct FetchResult {
  std::string url;  // as asked
  FetchError error = FetchError::None;
  std::string detail;                  // technical, English, for logs
  int status = 0;                      // final HTTP status, 0 when none
  std::string final_url;               // after redirects
  std::vector<std::string> redirects;  // each Location followed, resolved, in order
  std::string content_type;            // of the final response
  std::string body;  // at most max_bytes (identity encoding: Accept-Encoding: identity is sent)
  std::chrono::milliseconds elapsed{0};
};

// Fetches every URL with GET, at most max_parallel connections at once and per_host to one
// host, each URL within total_timeout from its first connection (redirects included), and
// returns one result per URL in the given order. A URL's failure is its result's error, never
// an exception; throws only what allocation throws. Contacts only addresses that are public
// (or allowed by allow_private / allow_addresses), each checked after resolution and connected
// to without a second lookup, on every redirect hop. HTTPS verifies the certificate and host.
std::vector<FetchResult> fetch_all(const std::vector<std::string>& urls,
                                   const FetchOptions& options);

// Whether an IPv4 or IPv6 address (text, without brackets) is public: false for loopback,
// private (10/8, 172.16/12, 192.168/16), shared 100.64/10, link-local 169.254/16 (the cloud
// metadata address 169.254.169.254 too), 0/8, multicast, broadcast, documentation and reserved
// ranges, IPv6 ::, ::1, fc00::/7, fe80::/10, multicast, anything outside 2000::/3, and IPv4
// addresses embedded in IPv6 (::ffff:a.b.c.d, NAT64, 6to4) that are not public; false for text
// that is not an address.
bool is_public_address(std::string_view ip);

}  // namespace ita::net

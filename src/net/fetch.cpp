#include "net/fetch.hpp"

// clang-format off
#include <utility>  // first: Asio's awaitable.hpp (Boost 1.74) uses std::exchange undeclared
// clang-format on

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <cstdint>
#include <deque>
#include <exception>
#include <map>
#include <memory>
#include <optional>

namespace ita::net {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;
template <class T>
using Task = asio::awaitable<T>;

constexpr std::size_t kHeaderLimit = 64 * 1024;

// A URL's failure, thrown inside one fetch and caught once, in Fetcher::fetch_one.
struct Failure {
  FetchError error;
  std::string detail;
};

// The completion token of every wait: the error lands in `ec` instead of being thrown.
auto into(error_code& ec) {
  return asio::redirect_error(asio::use_awaitable, ec);
}

struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;    // lower case; an IPv6 address without its brackets
  std::string port;    // digits
  std::string target;  // path and query, fragment dropped, percent-encoded where it must be
  bool bracketed = false;

  std::string authority() const {
    const std::string h = bracketed ? "[" + host + "]" : host;
    const bool usual = (scheme == "http" && port == "80") || (scheme == "https" && port == "443");
    return usual ? h : h + ":" + port;
  }
  std::string origin() const { return scheme + "://" + authority(); }
  std::string text() const { return origin() + target; }
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Spaces, control characters and non-ASCII bytes of a path become %XX, so that what is sent
// is one request line whatever was typed (no header injection through CR LF).
std::string encode_target(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (b > 0x20 && b < 0x7f) {
      out += c;
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 15];
    }
  }
  return out;
}

// Host and port of an authority without userinfo; throws Failure(BadUrl).
void parse_authority(std::string_view auth, Url& url) {
  std::string_view port;
  if (!auth.empty() && auth.front() == '[') {
    const auto close = auth.find(']');
    if (close == std::string_view::npos) throw Failure{FetchError::BadUrl, "unclosed [ in host"};
    url.host = lower(auth.substr(1, close - 1));
    url.bracketed = true;
    const auto rest = auth.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') throw Failure{FetchError::BadUrl, "bad host"};
    if (!rest.empty()) port = rest.substr(1);
  } else {
    const auto colon = auth.rfind(':');
    url.host = lower(auth.substr(0, colon));
    if (colon != std::string_view::npos) port = auth.substr(colon + 1);
  }
  const auto host_char = [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
           (url.bracketed && c == ':');
  };
  if (url.host.empty() || !std::all_of(url.host.begin(), url.host.end(), host_char)) {
    throw Failure{FetchError::BadUrl, "host name missing or not ASCII (use punycode)"};
  }
  url.port = url.scheme == "https" ? "443" : "80";
  if (port.empty()) return;
  int number = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
  if (ec != std::errc() || end != port.data() + port.size() || number < 1 || number > 65535) {
    throw Failure{FetchError::BadUrl, "bad port"};
  }
  url.port = std::to_string(number);
}

// An absolute http or https URL; throws Failure(BadUrl or Credentials).
Url parse_url(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  const auto sep = text.find("://");
  if (sep == std::string_view::npos) throw Failure{FetchError::BadUrl, "not an absolute URL"};
  Url url;
  url.scheme = lower(text.substr(0, sep));
  if (url.scheme != "http" && url.scheme != "https") {
    throw Failure{FetchError::BadUrl, "scheme is not http or https"};
  }
  const auto rest = text.substr(sep + 3);
  const auto end = std::min(rest.find_first_of("/?#"), rest.size());
  const auto auth = rest.substr(0, end);
  if (auth.find('@') != std::string_view::npos) {
    throw Failure{FetchError::Credentials, "the URL carries a user name or password"};
  }
  parse_authority(auth, url);
  auto target = rest.substr(end);
  target = target.substr(0, target.find('#'));
  url.target = encode_target(target.empty() || target.front() != '/' ? "/" + std::string(target)
                                                                     : std::string(target));
  return url;
}

// A Location header resolved against the URL that answered it (RFC 3986 references, without
// removing dot segments: the server resolves those).
std::string resolve_location(const Url& base, std::string_view loc) {
  while (!loc.empty() && loc.front() == ' ') loc.remove_prefix(1);
  if (loc.substr(0, 2) == "//") return base.scheme + ":" + std::string(loc);
  const auto colon = loc.find(':');
  const auto first_delim = loc.find_first_of("/?#");
  if (colon != std::string_view::npos && colon > 0 && colon < first_delim &&
      std::isalpha(static_cast<unsigned char>(loc.front()))) {
    return std::string(loc);  // has a scheme of its own
  }
  const std::string path = base.target.substr(0, base.target.find('?'));
  if (loc.empty() || loc.front() == '#') return base.text();
  if (loc.front() == '/') return base.origin() + std::string(loc);
  if (loc.front() == '?') return base.origin() + path + std::string(loc);
  return base.origin() + path.substr(0, path.rfind('/') + 1) + std::string(loc);
}

bool public_v4(std::uint32_t a) {
  struct Block {
    std::uint32_t net;
    int bits;
  };
  static constexpr std::array<Block, 15> kBlocked{{
      {0x00000000, 8},   // 0/8 "this network"
      {0x0A000000, 8},   // 10/8 private
      {0x64400000, 10},  // 100.64/10 shared (carrier-grade NAT)
      {0x7F000000, 8},   // 127/8 loopback
      {0xA9FE0000, 16},  // 169.254/16 link-local, cloud metadata
      {0xAC100000, 12},  // 172.16/12 private
      {0xC0000000, 24},  // 192.0.0/24 IETF protocol assignments
      {0xC0000200, 24},  // 192.0.2/24 documentation
      {0xC0586300, 24},  // 192.88.99/24 6to4 relay
      {0xC0A80000, 16},  // 192.168/16 private
      {0xC6120000, 15},  // 198.18/15 benchmarking
      {0xC6336400, 24},  // 198.51.100/24 documentation
      {0xCB007100, 24},  // 203.0.113/24 documentation
      {0xE0000000, 4},   // 224/4 multicast
      {0xF0000000, 4},   // 240/4 reserved, 255.255.255.255 broadcast
  }};
  return std::none_of(kBlocked.begin(), kBlocked.end(), [a](const Block& b) {
    return (a >> (32 - b.bits)) == (b.net >> (32 - b.bits));
  });
}

std::uint32_t v4_at(const asio::ip::address_v6::bytes_type& b, int i) {
  return std::uint32_t{b[i]} << 24 | std::uint32_t{b[i + 1]} << 16 | std::uint32_t{b[i + 2]} << 8 |
         b[i + 3];
}

bool public_v6(const asio::ip::address_v6::bytes_type& b) {
  const auto zeros = [&](int from, int to) {
    return std::all_of(b.begin() + from, b.begin() + to, [](unsigned char c) { return c == 0; });
  };
  if (zeros(0, 10) && b[10] == 0xff && b[11] == 0xff) return public_v4(v4_at(b, 12));  // mapped
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && zeros(4, 12)) {
    return public_v4(v4_at(b, 12));  // 64:ff9b::/96, NAT64 of an IPv4 address
  }
  if ((b[0] & 0xe0) != 0x20) return false;  // outside 2000::/3, global unicast
  if (b[0] == 0x20 && b[1] == 0x01 && (b[2] & 0xfe) == 0) return false;  // 2001::/23 (Teredo…)
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return false;  // 2001:db8::/32
  if (b[0] == 0x20 && b[1] == 0x02) return public_v4(v4_at(b, 2));       // 2002::/16, 6to4
  if (b[0] == 0x3f && b[1] == 0xff && (b[2] & 0xf0) == 0) return false;  // 3fff::/20 docs
  return true;
}

}  // namespace

std::string_view fetch_error_code(FetchError error) {
  switch (error) {
    case FetchError::None:
      return "none";
    case FetchError::BadUrl:
      return "bad_url";
    case FetchError::Credentials:
      return "credentials";
    case FetchError::PrivateAddress:
      return "private_address";
    case FetchError::DnsFailed:
      return "dns_failed";
    case FetchError::ConnectFailed:
      return "connect_failed";
    case FetchError::TlsFailed:
      return "tls_failed";
    case FetchError::Timeout:
      return "timeout";
    case FetchError::TooLarge:
      return "too_large";
    case FetchError::TooManyRedirects:
      return "too_many_redirects";
    case FetchError::Truncated:
      return "truncated";
    case FetchError::Protocol:
      return "protocol";
  }
  return "unknown";
}

bool is_public_address(std::string_view ip) {
  error_code ec;
  const auto address = asio::ip::make_address(std::string(ip), ec);
  if (ec) return false;
  if (address.is_v4()) return public_v4(address.to_v4().to_uint());
  return public_v6(address.to_v6().to_bytes());
}

namespace {

// One fetch_all: its io_context (run on the calling thread: one thread, so the members below
// need no mutex), the TLS context, the queue of URLs and the connections held per host.
class Fetcher {
 public:
  explicit Fetcher(const FetchOptions& options) : options_(options) {
    tls_.set_default_verify_paths();
    error_code ec;
    if (!options_.extra_ca_file.empty()) tls_.load_verify_file(options_.extra_ca_file, ec);
    if (ec) tls_problem_ = "extra_ca_file " + options_.extra_ca_file + ": " + ec.message();
    tls_.set_verify_mode(ssl::verify_peer);
  }

  std::vector<FetchResult> run(const std::vector<std::string>& urls);

 private:
  // The connections open to one host and the fetches waiting for one of them to close.
  struct Gate {
    int used = 0;
    std::deque<asio::steady_timer*> waiters;
  };
  // A host name's lookup, shared by every fetch of that host and port.
  struct Lookup {
    explicit Lookup(asio::io_context& io) : resolver(io) {}
    tcp::resolver resolver;
    bool done = false;
    error_code error;
    tcp::resolver::results_type endpoints;
    std::vector<asio::steady_timer*> waiters;  // fetches waiting for it, woken when done
  };
  // Holds one connection of a host's Gate until it goes out of scope.
  struct Slot {
    Fetcher& fetcher;
    std::string host;
    Slot(Fetcher& f, std::string h) : fetcher(f), host(std::move(h)) {}
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot() { fetcher.release(host); }
  };

  std::optional<std::size_t> next_url();
  Task<void> worker();
  Task<void> fetch_one(std::size_t index);
  Task<std::optional<std::string>> hop(const Url& url, std::optional<Clock::time_point>& deadline,
                                       FetchResult& result);
  Task<tcp::resolver::results_type> resolve(const Url& url);
  void check_addresses(const tcp::resolver::results_type& endpoints, const Url& url) const;
  Task<void> acquire(const std::string& host);
  void release(const std::string& host);
  Task<void> connect(beast::tcp_stream& stream, const tcp::resolver::results_type& endpoints,
                     Clock::time_point deadline);
  Task<void> handshake(ssl::stream<beast::tcp_stream>& stream, const Url& url,
                       Clock::time_point deadline);
  template <class Stream>
  Task<std::optional<std::string>> exchange(Stream& stream, const Url& url,
                                            Clock::time_point deadline, FetchResult& result);
  http::request<http::empty_body> request_for(const Url& url) const;

  const FetchOptions& options_;
  asio::io_context io_;
  ssl::context tls_{ssl::context::tls_client};
  std::string tls_problem_;  // why extra_ca_file could not be loaded, "" when it could
  std::vector<FetchResult> results_;
  std::vector<std::string> hosts_;      // the host of each URL as asked ("" when unparsable)
  std::deque<std::size_t> pending_;     // URLs not started yet, in order
  std::map<std::string, int> started_;  // fetches under way, by the host of the URL asked
  std::map<std::string, Gate> gates_;   // connections open, by host
  std::map<std::string, std::unique_ptr<Lookup>> lookups_;  // by "host port"
};

std::vector<FetchResult> Fetcher::run(const std::vector<std::string>& urls) {
  results_.resize(urls.size());
  for (std::size_t i = 0; i < urls.size(); ++i) {
    results_[i].url = urls[i];
    try {
      hosts_.push_back(parse_url(urls[i]).host);
    } catch (const Failure&) {
      hosts_.push_back("");
    }
    pending_.push_back(i);
  }
  const auto workers = std::min<std::size_t>(std::max(options_.max_parallel, 1), urls.size());
  for (std::size_t i = 0; i < workers; ++i) {
    // Rethrown out of io_.run(): only allocation failures get this far.
    asio::co_spawn(io_, worker(), [](const std::exception_ptr& e) {
      if (e) std::rethrow_exception(e);
    });
  }
  io_.run();
  return std::move(results_);
}

// The first URL not started whose host has room, else the first not started: a worker then
// waits for a host only when every URL left is on a busy host.
std::optional<std::size_t> Fetcher::next_url() {
  if (pending_.empty()) return std::nullopt;
  const int per_host = std::max(options_.per_host, 1);
  auto it = std::find_if(pending_.begin(), pending_.end(),
                         [&](std::size_t i) { return started_[hosts_[i]] < per_host; });
  if (it == pending_.end()) it = pending_.begin();
  const std::size_t index = *it;
  pending_.erase(it);
  return index;
}

Task<void> Fetcher::worker() {
  while (const auto index = next_url()) {
    ++started_[hosts_[*index]];
    co_await fetch_one(*index);
    --started_[hosts_[*index]];
  }
}

Task<void> Fetcher::fetch_one(std::size_t index) {
  FetchResult& result = results_[index];
  const auto start = Clock::now();
  // Starts with the first connection, so that waiting for a busy host does not count.
  std::optional<Clock::time_point> deadline;
  try {
    Url url = parse_url(result.url);
    while (true) {
      result.final_url = url.text();
      const auto location = co_await hop(url, deadline, result);
      if (!location) break;
      if (static_cast<int>(result.redirects.size()) >= options_.max_redirects) {
        throw Failure{FetchError::TooManyRedirects,
                      "more than " + std::to_string(options_.max_redirects) + " redirects"};
      }
      result.redirects.push_back(resolve_location(url, *location));
      result.final_url = result.redirects.back();
      url = parse_url(result.redirects.back());
    }
  } catch (const Failure& failure) {
    result.error = failure.error;
    result.detail = failure.detail;
  }
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

// One request: the Location to follow when the answer is a redirect that has one, else
// nullopt with the status, type and body in `result`.
Task<std::optional<std::string>> Fetcher::hop(const Url& url,
                                              std::optional<Clock::time_point>& deadline,
                                              FetchResult& result) {
  result.status = 0;  // a redirect's status is not the final one
  result.content_type.clear();
  const auto endpoints = co_await resolve(url);
  check_addresses(endpoints, url);
  co_await acquire(url.host);
  const Slot slot(*this, url.host);
  if (!deadline) deadline = Clock::now() + options_.total_timeout;
  if (url.scheme == "https") {
    ssl::stream<beast::tcp_stream> stream(io_, tls_);
    co_await connect(beast::get_lowest_layer(stream), endpoints, *deadline);
    co_await handshake(stream, url, *deadline);
    co_return co_await exchange(stream, url, *deadline, result);
  }
  beast::tcp_stream stream(io_);
  co_await connect(stream, endpoints, *deadline);
  co_return co_await exchange(stream, url, *deadline, result);
}

// Each host is looked up once per fetch_all (Asio resolves on one thread, one name at a time),
// and waited for at most connect_timeout: getaddrinfo cannot be cancelled, so a slow lookup is
// left to finish in the background and the fetch fails now.
Task<tcp::resolver::results_type> Fetcher::resolve(const Url& url) {
  auto& entry = lookups_[url.host + " " + url.port];
  if (!entry) {
    entry = std::make_unique<Lookup>(io_);
    Lookup* lookup = entry.get();
    lookup->resolver.async_resolve(url.host, url.port,
                                   [lookup](error_code ec, tcp::resolver::results_type endpoints) {
                                     lookup->done = true;
                                     lookup->error = ec;
                                     lookup->endpoints = std::move(endpoints);
                                     for (asio::steady_timer* waiter : lookup->waiters)
                                       waiter->cancel();
                                   });
  }
  Lookup& lookup = *entry;
  if (!lookup.done) {
    asio::steady_timer timer(io_, options_.connect_timeout);
    lookup.waiters.push_back(&timer);
    error_code ignored;
    co_await timer.async_wait(into(ignored));
    std::erase(lookup.waiters, &timer);
  }
  if (!lookup.done) throw Failure{FetchError::DnsFailed, "looking up " + url.host + " timed out"};
  if (lookup.error || lookup.endpoints.empty()) {
    throw Failure{FetchError::DnsFailed, "looking up " + url.host + ": " + lookup.error.message()};
  }
  co_return lookup.endpoints;
}

// Every address the host resolves to must pass: a name with one public and one internal
// address could otherwise reach the internal one. The connection then goes to these same
// endpoints, with no second lookup that could answer differently (DNS rebinding).
void Fetcher::check_addresses(const tcp::resolver::results_type& endpoints, const Url& url) const {
  if (options_.allow_private) return;
  for (const auto& entry : endpoints) {
    const std::string ip = entry.endpoint().address().to_string();
    const auto& allowed = options_.allow_addresses;
    if (is_public_address(ip) || std::find(allowed.begin(), allowed.end(), ip) != allowed.end()) {
      continue;
    }
    throw Failure{FetchError::PrivateAddress,
                  url.host + " resolves to " + ip + ", which is not a public address"};
  }
}

Task<void> Fetcher::acquire(const std::string& host) {
  Gate& gate = gates_[host];
  while (gate.used >= std::max(options_.per_host, 1)) {
    asio::steady_timer timer(io_, asio::steady_timer::time_point::max());
    gate.waiters.push_back(&timer);
    error_code ec;
    co_await timer.async_wait(into(ec));  // cancelled by release()
    std::erase(gate.waiters, &timer);
  }
  ++gate.used;
}

void Fetcher::release(const std::string& host) {
  Gate& gate = gates_[host];
  --gate.used;
  if (gate.waiters.empty()) return;
  gate.waiters.front()->cancel();
  gate.waiters.pop_front();
}

Task<void> Fetcher::connect(beast::tcp_stream& stream, const tcp::resolver::results_type& endpoints,
                            Clock::time_point deadline) {
  stream.expires_at(std::min(deadline, Clock::now() + options_.connect_timeout));
  error_code ec;
  co_await stream.async_connect(endpoints, into(ec));
  if (ec == beast::error::timeout) {
    throw Failure{Clock::now() >= deadline ? FetchError::Timeout : FetchError::ConnectFailed,
                  "connecting timed out"};
  }
  if (ec) throw Failure{FetchError::ConnectFailed, "connecting: " + ec.message()};
}

Task<void> Fetcher::handshake(ssl::stream<beast::tcp_stream>& stream, const Url& url,
                              Clock::time_point deadline) {
  if (!tls_problem_.empty()) throw Failure{FetchError::TlsFailed, tls_problem_};
  SSL* ssl = stream.native_handle();
  error_code not_ip;
  asio::ip::make_address(url.host, not_ip);
  if (not_ip) {
    SSL_set_tlsext_host_name(ssl, url.host.c_str());  // SNI: names only, never addresses
    SSL_set1_host(ssl, url.host.c_str());
  } else {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), url.host.c_str());
  }
  stream.set_verify_mode(ssl::verify_peer);
  beast::get_lowest_layer(stream).expires_at(deadline);
  error_code ec;
  co_await stream.async_handshake(ssl::stream_base::client, into(ec));
  if (ec == beast::error::timeout) throw Failure{FetchError::Timeout, "TLS handshake timed out"};
  if (ec) {
    std::string detail = "TLS handshake: " + ec.message();
    const long verify = SSL_get_verify_result(ssl);
    if (verify != X509_V_OK)
      detail += std::string(" (") + X509_verify_cert_error_string(verify) + ")";
    throw Failure{FetchError::TlsFailed, detail};
  }
}

http::request<http::empty_body> Fetcher::request_for(const Url& url) const {
  http::request<http::empty_body> request{http::verb::get, url.target, 11};
  request.set(http::field::host, url.authority());
  request.set(http::field::user_agent, options_.user_agent);
  request.set(http::field::accept, "text/html,application/xhtml+xml,application/pdf,*/*;q=0.8");
  request.set(http::field::accept_encoding, "identity");
  request.set(http::field::connection, "close");
  return request;
}

// The failure a read ended with: `header_done` tells a cut body from a server that never
// answered with HTTP.
Failure read_failure(const error_code& ec, bool header_done) {
  if (ec == beast::error::timeout) {
    return {FetchError::Timeout, "no complete response within total_timeout"};
  }
  if (ec == http::error::body_limit) return {FetchError::TooLarge, "the body is over max_bytes"};
  if (header_done) return {FetchError::Truncated, "the body ended early: " + ec.message()};
  return {FetchError::Protocol, "no HTTP response: " + ec.message()};
}

template <class Stream>
Task<std::optional<std::string>> Fetcher::exchange(Stream& stream, const Url& url,
                                                   Clock::time_point deadline,
                                                   FetchResult& result) {
  beast::get_lowest_layer(stream).expires_at(deadline);
  error_code ec;
  const auto request = request_for(url);
  co_await http::async_write(stream, request, into(ec));
  if (ec) throw read_failure(ec, false);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.header_limit(kHeaderLimit);
  parser.body_limit(options_.max_bytes);
  co_await http::async_read_header(stream, buffer, parser, into(ec));
  const auto& head = parser.get();
  if (parser.is_header_done()) {  // also when its Content-Length is over body_limit
    result.status = static_cast<int>(head.result_int());
    result.content_type = std::string(head[http::field::content_type]);
  }
  if (ec) throw read_failure(ec, false);
  const bool redirect = result.status == 301 || result.status == 302 || result.status == 303 ||
                        result.status == 307 || result.status == 308;
  if (redirect && head.count(http::field::location) > 0) {
    co_return std::string(head[http::field::location]);
  }
  if (parser.content_length() && *parser.content_length() > options_.max_bytes) {
    throw Failure{
        FetchError::TooLarge,
        "Content-Length " + std::to_string(*parser.content_length()) + " is over max_bytes"};
  }
  co_await http::async_read(stream, buffer, parser, into(ec));
  // TLS without close_notify: the end of a body that lasts to the end of the connection.
  if (ec == ssl::error::stream_truncated) {
    ec = {};
    parser.put_eof(ec);
  }
  result.body = std::move(parser.get().body());
  if (ec) throw read_failure(ec, true);
  co_return std::nullopt;
}

}  // namespace

std::vector<FetchResult> fetch_all(const std::vector<std::string>& urls,
                                   const FetchOptions& options) {
  if (urls.empty()) return {};
  Fetcher fetcher(options);
  return fetcher.run(urls);
}

}  // namespace ita::net

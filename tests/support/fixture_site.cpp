#include "support/fixture_site.hpp"

// clang-format off
#include <utility>  // first: Asio (Boost 1.74) uses std::exchange undeclared
// clang-format on

#include <stdlib.h>
#include <sys/socket.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>

namespace ita::testing {

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

constexpr std::size_t kBlock = 64 * 1024;
constexpr std::size_t kStallLength = 1000000;

// The test CA and the server's certificate, made once per process with the openssl CLI in a
// temporary folder removed at exit.
class Certificates {
 public:
  Certificates() {
    char dir[] = "/tmp/ita-fixture-site-XXXXXX";
    if (::mkdtemp(dir) == nullptr) throw std::runtime_error("fixture site: mkdtemp failed");
    dir_ = dir;
    std::ofstream(dir_ / "openssl.cnf") << "[req]\ndistinguished_name = dn\nprompt = no\n"
                                        << "[dn]\nCN = OpenITA test CA\n"
                                        << "[ca]\nbasicConstraints = critical,CA:TRUE\n"
                                        << "keyUsage = critical,keyCertSign,cRLSign\n"
                                        << "[server]\nbasicConstraints = CA:FALSE\n"
                                        << "keyUsage = critical,digitalSignature\n"
                                        << "extendedKeyUsage = serverAuth\n"
                                        << "subjectAltName = DNS:localhost,IP:127.0.0.1\n";
    const std::string d = dir_.string();
    const std::string key = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    run("openssl req -x509 -config " + d + "/openssl.cnf -extensions ca" + key + " -keyout " + d +
        "/ca.key -out " + d + "/ca.pem -days 2");
    run("openssl req -new" + key + " -keyout " + d + "/server.key -out " + d +
        "/server.csr -subj /CN=localhost");
    run("openssl x509 -req -in " + d + "/server.csr -CA " + d + "/ca.pem -CAkey " + d +
        "/ca.key -CAcreateserial -out " + d + "/server.pem -days 2 -extfile " + d +
        "/openssl.cnf -extensions server");
    ca_file = d + "/ca.pem";
    cert_file = d + "/server.pem";
    key_file = d + "/server.key";
  }
  ~Certificates() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  Certificates(const Certificates&) = delete;
  Certificates& operator=(const Certificates&) = delete;

  std::string ca_file, cert_file, key_file;

 private:
  static void run(const std::string& command) {
    if (std::system((command + " >/dev/null 2>&1").c_str()) != 0) {
      throw std::runtime_error("fixture site: failed: " + command);
    }
  }
  std::filesystem::path dir_;
};

const Certificates& certificates() {
  static const Certificates made;
  return made;
}

enum class Kind { Fixed, Stall, Big, BigChunked, Truncated, Delayed };

struct Route {
  Kind kind = Kind::Fixed;
  FixtureResponse response;
  std::size_t size = 0;  // Big: the body's length; Truncated: the length claimed
  std::chrono::milliseconds delay{0};
};

std::string reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 404:
      return "Not Found";
    default:
      return "Status";
  }
}

// A reply's head: with Content-Length `length`, or chunked when there is none.
std::string head(const FixtureResponse& r, std::optional<std::size_t> length) {
  std::string text = "HTTP/1.1 " + std::to_string(r.status) + " " + reason(r.status) + "\r\n";
  for (const auto& [name, value] : r.headers) text += name + ": " + value + "\r\n";
  text += length ? "Content-Length: " + std::to_string(*length) + "\r\n"
                 : std::string("Transfer-Encoding: chunked\r\n");
  return text + "Connection: close\r\n\r\n";
}

}  // namespace

struct FixtureSite::Impl {
  asio::io_context io;
  tcp::acceptor http{io};
  tcp::acceptor https{io};
  ssl::context tls{ssl::context::tls_server};
  std::thread io_thread;
  unsigned short http_port = 0, https_port = 0;  // kept: the acceptors close at stop()

  mutable std::mutex mutex;            // guards everything below
  std::condition_variable stopped_cv;  // wakes delayed replies at stop()
  bool stopping = false;
  std::map<std::string, Route> routes;
  std::map<std::string, int> hit_counts;
  std::map<std::string, std::map<std::string, std::string>> last_headers;  // by path, name
  int total = 0, open = 0, max_open = 0;
  std::set<int> open_fds;  // sockets of the sessions, shut down by stop()
  std::vector<std::thread> sessions;

  // Counts a connection as open until end() (or destruction), once.
  struct Counted {
    Impl& impl;
    bool ended = false;
    void end() {
      if (ended) return;
      ended = true;
      const std::lock_guard lock(impl.mutex);
      --impl.open;
    }
    ~Counted() { end(); }
  };
  // Forgets a session's socket before it closes, so that stop() never shuts a reused number.
  struct Registered {
    Impl& impl;
    int fd;
    ~Registered() {
      const std::lock_guard lock(impl.mutex);
      impl.open_fds.erase(fd);
    }
  };

  void listen(tcp::acceptor& acceptor) {
    acceptor.open(tcp::v4());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor.listen();
  }

  void accept(tcp::acceptor& acceptor, bool secure) {
    acceptor.async_accept([this, &acceptor, secure](error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      if (!ec) start(std::move(socket), secure);
      accept(acceptor, secure);
    });
  }

  void start(tcp::socket socket, bool secure) {
    const std::lock_guard lock(mutex);
    if (stopping) return;
    ++total;
    max_open = std::max(max_open, ++open);
    open_fds.insert(socket.native_handle());
    sessions.emplace_back(
        [this, s = std::move(socket), secure]() mutable { session(std::move(s), secure); });
  }

  void session(tcp::socket socket, bool secure) {
    Counted counted{*this};
    const int fd = socket.native_handle();
    if (!secure) {
      const Registered registered{*this, fd};
      serve(socket, counted);
      return;
    }
    ssl::stream<tcp::socket> stream(std::move(socket), tls);
    const Registered registered{*this, fd};
    error_code ec;
    stream.handshake(ssl::stream_base::server, ec);
    if (!ec) serve(stream, counted);
  }

  Route route_for(const http::request<http::string_body>& request) {
    const std::string target(request.target());
    const std::string path = target.substr(0, target.find('?'));
    const std::lock_guard lock(mutex);
    ++hit_counts[path];
    auto& headers = last_headers[path];
    headers.clear();
    for (const auto& field : request) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      headers[name] = std::string(field.value());
    }
    const auto it = routes.find(path);
    if (it != routes.end()) return it->second;
    return Route{Kind::Fixed, {404, {{"Content-Type", "text/plain"}}, "not found"}, 0, {}};
  }

  template <class Stream>
  void serve(Stream& stream, Counted& counted) {
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> request;
    error_code ec;
    http::read(stream, buffer, request, ec);
    if (ec) return;
    const Route route = route_for(request);
    const FixtureResponse& r = route.response;
    switch (route.kind) {
      case Kind::Delayed:
        if (!wait(route.delay)) return;
        [[fallthrough]];
      case Kind::Fixed:
        counted.end();
        asio::write(stream, asio::buffer(head(r, r.body.size()) + r.body), ec);
        return;
      case Kind::Truncated:
        counted.end();
        asio::write(stream, asio::buffer(head(r, route.size) + r.body), ec);
        return;
      case Kind::Stall:
        asio::write(stream, asio::buffer(head(r, kStallLength) + r.body), ec);
        wait_for_close(stream);
        return;
      case Kind::Big:
      case Kind::BigChunked:
        stream_big(stream, route);
        return;
    }
  }

  // Waits `delay`: false when stop() came first.
  bool wait(std::chrono::milliseconds delay) {
    std::unique_lock lock(mutex);
    return !stopped_cv.wait_for(lock, delay, [&] { return stopping; });
  }

  template <class Stream>
  static void wait_for_close(Stream& stream) {
    char byte = 0;
    error_code ec;
    while (!ec) stream.read_some(asio::buffer(&byte, 1), ec);
  }

  template <class Stream>
  static void stream_big(Stream& stream, const Route& route) {
    const bool chunked = route.kind == Kind::BigChunked;
    error_code ec;
    asio::write(
        stream,
        asio::buffer(head(route.response, chunked ? std::nullopt : std::optional(route.size))), ec);
    const std::string block(kBlock, 'x');
    for (std::size_t sent = 0; sent < route.size && !ec;) {
      const std::size_t n = std::min(kBlock, route.size - sent);
      if (chunked) {
        char size_line[32];
        std::snprintf(size_line, sizeof size_line, "%zx\r\n", n);
        asio::write(stream, asio::buffer(std::string(size_line)), ec);
      }
      if (!ec) asio::write(stream, asio::buffer(block.data(), n), ec);
      if (chunked && !ec) asio::write(stream, asio::buffer("\r\n", 2), ec);
      sent += n;
    }
    if (chunked && !ec) asio::write(stream, asio::buffer("0\r\n\r\n", 5), ec);
  }

  void add(const std::string& path, Route route) {
    const std::lock_guard lock(mutex);
    routes[path] = std::move(route);
  }
};

FixtureSite::FixtureSite() : impl_(std::make_unique<Impl>()) {
  const Certificates& certs = certificates();
  impl_->tls.use_certificate_chain_file(certs.cert_file);
  impl_->tls.use_private_key_file(certs.key_file, ssl::context::pem);
  impl_->listen(impl_->http);
  impl_->listen(impl_->https);
  impl_->http_port = impl_->http.local_endpoint().port();
  impl_->https_port = impl_->https.local_endpoint().port();
  impl_->accept(impl_->http, false);
  impl_->accept(impl_->https, true);
  impl_->io_thread = std::thread([this] { impl_->io.run(); });
}

FixtureSite::~FixtureSite() {
  stop();
}

void FixtureSite::stop() {
  {
    const std::lock_guard lock(impl_->mutex);
    if (impl_->stopping) return;
    impl_->stopping = true;
  }
  impl_->stopped_cv.notify_all();
  asio::post(impl_->io, [this] {
    error_code ec;
    impl_->http.close(ec);
    impl_->https.close(ec);
  });
  impl_->io_thread.join();
  std::vector<std::thread> sessions;
  {
    const std::lock_guard lock(impl_->mutex);
    for (const int fd : impl_->open_fds) ::shutdown(fd, SHUT_RDWR);
    sessions.swap(impl_->sessions);
  }
  for (auto& t : sessions) t.join();
}

void FixtureSite::respond(const std::string& path, FixtureResponse response) {
  impl_->add(path, Route{Kind::Fixed, std::move(response), 0, {}});
}

void FixtureSite::page(const std::string& path, const std::string& content_type, std::string body) {
  respond(path, {200, {{"Content-Type", content_type}}, std::move(body)});
}

void FixtureSite::status(const std::string& path, int status, std::string body) {
  respond(path, {status, {{"Content-Type", "text/plain"}}, std::move(body)});
}

void FixtureSite::redirect(const std::string& path, const std::string& location, int status) {
  respond(path, {status, {{"Location", location}}, ""});
}

void FixtureSite::stall(const std::string& path) {
  impl_->add(path,
             Route{Kind::Stall, {200, {{"Content-Type", "text/html"}}, "<html><body>"}, 0, {}});
}

void FixtureSite::big(const std::string& path, std::size_t bytes, bool chunked) {
  impl_->add(path, Route{chunked ? Kind::BigChunked : Kind::Big,
                         {200, {{"Content-Type", "application/pdf"}}, ""},
                         bytes,
                         {}});
}

void FixtureSite::truncated(const std::string& path, std::size_t claimed, std::string body) {
  impl_->add(
      path,
      Route{Kind::Truncated, {200, {{"Content-Type", "text/html"}}, std::move(body)}, claimed, {}});
}

void FixtureSite::delayed(const std::string& path, std::chrono::milliseconds delay,
                          std::string body) {
  impl_->add(
      path,
      Route{Kind::Delayed, {200, {{"Content-Type", "text/html"}}, std::move(body)}, 0, delay});
}

std::string FixtureSite::http_url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(http_port()) + path;
}
std::string FixtureSite::https_url(const std::string& path) const {
  return "https://127.0.0.1:" + std::to_string(https_port()) + path;
}
std::string FixtureSite::other_http_url(const std::string& path) const {
  return "http://localhost:" + std::to_string(http_port()) + path;
}
std::string FixtureSite::other_https_url(const std::string& path) const {
  return "https://localhost:" + std::to_string(https_port()) + path;
}
unsigned short FixtureSite::http_port() const {
  return impl_->http_port;
}
unsigned short FixtureSite::https_port() const {
  return impl_->https_port;
}
const std::string& FixtureSite::ca_file() const {
  return certificates().ca_file;
}

int FixtureSite::connections_total() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->total;
}
int FixtureSite::connections_open() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->open;
}
int FixtureSite::connections_max() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->max_open;
}
int FixtureSite::hits(const std::string& path) const {
  const std::lock_guard lock(impl_->mutex);
  const auto it = impl_->hit_counts.find(path);
  return it == impl_->hit_counts.end() ? 0 : it->second;
}
std::string FixtureSite::last_header(const std::string& path, const std::string& name) const {
  const std::lock_guard lock(impl_->mutex);
  const auto it = impl_->last_headers.find(path);
  if (it == impl_->last_headers.end()) return "";
  const auto field = it->second.find(name);
  return field == it->second.end() ? "" : field->second;
}
void FixtureSite::reset_counts() {
  const std::lock_guard lock(impl_->mutex);
  impl_->total = 0;
  impl_->max_open = impl_->open;
  impl_->hit_counts.clear();
}

}  // namespace ita::testing

#include "web/server.hpp"

#include <algorithm>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/version.hpp>
#include <chrono>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <string_view>
#include <thread>
#include <utility>  // before Asio: GCC 12 + Boost 1.74 need std::exchange declared
#include <vector>

namespace ita::web {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr auto kTimeout = std::chrono::seconds(30);
constexpr auto kDrainLimit = std::chrono::seconds(10);
// After an error reply sent before the whole request was read, what the client still sends is
// read and dropped for this long (or this much) before the socket is closed.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 1 << 20;
// The waits between failed accepts: from the first, doubling, up to the last.
constexpr auto kFirstAcceptRetry = std::chrono::milliseconds(50);
constexpr auto kLastAcceptRetry = std::chrono::milliseconds(500);

// The status for a request whose header passed kHeaderLimit: 414 URI Too Long when the parser
// never got to the end of the request line (it then has no target), else 431 Request Header
// Fields Too Large.
int header_limit_status(const http::request_parser<http::string_body>& parser) {
  return parser.get().target().empty() ? 414 : 431;
}

const char* header_limit_message(int status) {
  return status == 414 ? "request line too long" : "request header fields too large";
}

Request to_request(const http::request<http::string_body>& in, const std::string& ip) {
  Request r;
  r.method = std::string(in.method_string());
  r.target = std::string(in.target());
  const auto q = r.target.find('?');
  r.path = url_decode(r.target.substr(0, q), false);
  if (q != std::string::npos) r.query = parse_urlencoded(std::string_view(r.target).substr(q + 1));
  for (const auto& f : in) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = std::string(f.value());
  }
  r.body = in.body();
  r.remote_ip = ip;
  return r;
}

http::response<http::string_body> to_beast(Response&& r, unsigned version, bool keep_alive,
                                           bool head) {
  http::response<http::string_body> out{static_cast<http::status>(r.status), version};
  out.set(http::field::server, "OpenITA");
  out.set(http::field::content_type, r.content_type);
  out.set("X-Content-Type-Options", "nosniff");
  out.set("Referrer-Policy", "no-referrer");
  out.set("X-Frame-Options", "DENY");
  if (r.content_type.starts_with("text/html")) {
    // No page runs scripts; inline styles and data: fonts/images are the report's own.
    out.set("Content-Security-Policy",
            "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; font-src "
            "'self' data:; "
            "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'");
  }
  for (auto& [k, v] : r.headers) out.set(k, v);
  out.keep_alive(keep_alive);
  if (head) {
    out.content_length(r.body.size());
  } else {
    out.body() = std::move(r.body);
    out.prepare_payload();
  }
  return out;
}

// The handler's response; an exception it lets through is a logged 500.
Response invoke(const Handler& handler, Request& r) {
  try {
    return handler(r);
  } catch (const std::exception& e) {
    std::cerr << "ita serve: internal error on " << r.method << " " << r.path << ": " << e.what()
              << "\n";
    return Response::error(500, "internal error", r.wants_json());
  }
}

template <typename Message>
std::string serialize(Message& m) {
  std::ostringstream out;
  out << m;
  return out.str();
}

// What the sessions of one server share with it: the count of requests being answered (a
// graceful stop waits for it to reach 0), the stop flag, and the sessions waiting for a deferred
// reply. Those are owned here, not by the deferred reply's continuation, so that the server can
// drop them before its io_context goes away even if the reply comes later (or never).
struct Shared {
  std::atomic<int> answering{0};
  std::atomic<bool> stopping{false};
  std::mutex mutex;
  bool open = true;  // false once the server is being destroyed: late replies are dropped
  std::map<const void*, std::shared_ptr<void>> waiting;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, const Handler& handler, const ServerOptions& options,
          std::shared_ptr<Shared> shared)
      : stream_(std::move(socket)),
        handler_(handler),
        options_(options),
        shared_(std::move(shared)) {}

  void start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::read, shared_from_this()));
  }

 private:
  // The header first, within the header timeout (an idle or trickling connection is closed
  // then), then the body within kTimeout.
  void read() {
    parser_.emplace();
    parser_->body_limit(options_.body_limit);
    parser_->header_limit(kHeaderLimit);
    stream_.expires_after(options_.header_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t n) {
    if (ec || parser_->is_done()) return on_read(ec, n);
    stream_.expires_after(kTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream) return close();
    if (ec == http::error::body_limit) {
      ++shared_->answering;
      return reply_error(413, "request body too large");
    }
    if (ec == http::error::header_limit) {
      ++shared_->answering;
      const int status = header_limit_status(*parser_);
      return reply_error(status, header_limit_message(status));
    }
    if (ec) return close();
    ++shared_->answering;
    auto req = parser_->release();
    std::string ip;
    beast::error_code ignored;
    const auto ep = stream_.socket().remote_endpoint(ignored);
    if (!ignored) ip = ep.address().to_string();
    Request r = to_request(req, ip);
    Response res = invoke(handler_, r);
    const unsigned version = req.version();
    const bool keep_alive = req.keep_alive() && !shared_->stopping;
    const bool head = req.method() == http::verb::head;
    if (!res.pending) return send(to_beast(std::move(res), version, keep_alive, head));
    // Deferred (a submission waiting for its group commit): no thread waits. The session is
    // parked in `shared_` until the reply comes, then the reply is sent from its strand.
    {
      std::lock_guard lock(shared_->mutex);
      shared_->waiting.emplace(this, shared_from_this());
    }
    res.pending->then([shared = shared_, key = static_cast<const void*>(this), version, keep_alive,
                       head](Response done) {
      std::lock_guard lock(shared->mutex);
      if (!shared->open) return;
      auto it = shared->waiting.find(key);
      if (it == shared->waiting.end()) return;
      auto self = std::static_pointer_cast<Session>(std::move(it->second));
      shared->waiting.erase(it);
      auto executor = self->stream_.get_executor();
      net::post(executor, [self = std::move(self), done = std::move(done), version, keep_alive,
                           head]() mutable {
        self->send(
            to_beast(std::move(done), version, keep_alive && !self->shared_->stopping, head));
      });
    });
  }

  // An error reply to a request that was not read to its end: the connection closes after it.
  void reply_error(int status, const std::string& message) {
    linger_ = true;
    send(to_beast(Response::error(status, message, true), 11, false, false));
  }

  void send(http::response<http::string_body>&& res) {
    auto sp = std::make_shared<http::response<http::string_body>>(std::move(res));
    const bool close_after = sp->need_eof();
    stream_.expires_after(kTimeout);
    http::async_write(
        stream_, *sp,
        [self = shared_from_this(), sp, close_after](beast::error_code ec, std::size_t) {
          --self->shared_->answering;
          if (!ec && self->linger_) return self->linger();
          if (ec || close_after || self->shared_->stopping) return self->close();
          self->read();
        });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  // Closes the sending side, then reads and drops what the client is still sending (the rest of
  // an oversized request) for up to kLingerTime or kLingerBytes. Closing a socket with unread
  // data resets the connection, and a client still sending may then lose the reply unread.
  void linger() {
    close();
    stream_.expires_after(kLingerTime);
    drop_input();
  }

  void drop_input() {
    buffer_.consume(buffer_.size());
    stream_.async_read_some(buffer_.prepare(16 * 1024),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->lingered_ += n;
                              if (ec || self->lingered_ >= kLingerBytes)
                                return;  // the session ends, the socket closes
                              self->drop_input();
                            });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  const Handler& handler_;
  const ServerOptions& options_;  // the server's, which outlives its sessions
  std::shared_ptr<Shared> shared_;
  bool linger_ = false;  // the reply being sent ends the connection: linger() after it
  std::size_t lingered_ = 0;
};

}  // namespace

struct Server::Impl {
  ServerOptions options;
  Handler handler;
  net::io_context ioc;
  tcp::acceptor acceptor{net::make_strand(ioc)};  // its strand also runs accepts and the stop
  net::steady_timer drain_timer{acceptor.get_executor()};
  net::steady_timer accept_timer{acceptor.get_executor()};
  std::shared_ptr<Shared> shared = std::make_shared<Shared>();
  bool draining = false;                      // on the acceptor's strand
  std::chrono::milliseconds accept_retry{0};  // on the acceptor's strand; 0 while accepts work
  std::chrono::steady_clock::time_point drain_deadline;

  Impl(ServerOptions o, Handler h)
      : options(std::move(o)),
        handler(std::move(h)),
        ioc(options.threads > 0
                ? options.threads
                : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))) {}

  ~Impl() {
    // Sessions still waiting for a deferred reply go now, while their io_context exists; a reply
    // that comes later finds the server closed and is dropped.
    std::map<const void*, std::shared_ptr<void>> waiting;
    {
      std::lock_guard lock(shared->mutex);
      shared->open = false;
      waiting.swap(shared->waiting);
    }
  }

  void accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || draining) return;
      if (ec && ec != net::error::connection_aborted) return retry_accept(ec);
      accept_retry = std::chrono::milliseconds(0);
      if (!ec) {
        socket.set_option(tcp::no_delay(true), ec);
        std::make_shared<Session>(std::move(socket), handler, options, shared)->start();
      }
      accept();
    });
  }

  // An accept failed (EMFILE, ENFILE, ENOBUFS …): the connection stays queued, and trying again
  // at once would fail the same way in a loop that takes a core. Waits instead, 50 ms at first,
  // doubling up to 500 ms, while the open connections are served (each one that closes frees a
  // descriptor); says so once per run of failures.
  void retry_accept(const beast::error_code& ec) {
    if (accept_retry.count() == 0) {
      std::cerr << "ita serve: cannot accept connections (" << ec.message()
                << "); trying again in a moment\n";
    }
    accept_retry = accept_retry.count() == 0 ? kFirstAcceptRetry
                                             : std::min(accept_retry * 2, kLastAcceptRetry);
    accept_timer.expires_after(accept_retry);
    accept_timer.async_wait([this](beast::error_code wait_ec) {
      if (wait_ec || draining) return;
      accept();
    });
  }

  // A graceful stop: no new connections, no new requests on open ones, and the requests being
  // answered (submissions waiting for their group commit included) get their reply; then the
  // io_context stops. Gives up after kDrainLimit.
  void drain() {
    if (draining) return;
    draining = true;
    shared->stopping = true;
    beast::error_code ec;
    acceptor.close(ec);
    accept_timer.cancel();
    drain_deadline = std::chrono::steady_clock::now() + kDrainLimit;
    check_drained();
  }

  void check_drained() {
    if (shared->answering.load() <= 0 || std::chrono::steady_clock::now() >= drain_deadline) {
      ioc.stop();
      return;
    }
    drain_timer.expires_after(std::chrono::milliseconds(5));
    drain_timer.async_wait([this](beast::error_code) { check_drained(); });
  }
};

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}
Server::~Server() {
  stop();
}

unsigned short Server::listen() {
  const tcp::endpoint ep{net::ip::make_address(impl_->options.address), impl_->options.port};
  impl_->acceptor.open(ep.protocol());
  impl_->acceptor.set_option(net::socket_base::reuse_address(true));
  beast::error_code ec;
  impl_->acceptor.bind(ep, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + impl_->options.address + ":" +
                             std::to_string(impl_->options.port) + ": " + ec.message());
  impl_->acceptor.listen(net::socket_base::max_listen_connections);
  impl_->accept();
  return impl_->acceptor.local_endpoint().port();
}

void Server::run(bool handle_signals) {
  std::optional<net::signal_set> signals;
  if (handle_signals) {
    signals.emplace(impl_->ioc, SIGINT, SIGTERM);
    signals->async_wait([this](beast::error_code, int) { stop(); });
  }
  const int n = impl_->options.threads > 0
                    ? impl_->options.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> threads;
  for (int i = 1; i < n; ++i) threads.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : threads) t.join();
}

void Server::stop() {
  if (impl_) net::post(impl_->acceptor.get_executor(), [impl = impl_.get()] { impl->drain(); });
}

std::string handle_raw_request(std::string_view bytes, const Handler& handler,
                               std::size_t body_limit) {
  http::request_parser<http::string_body> parser;
  parser.eager(true);
  parser.body_limit(body_limit);
  parser.header_limit(kHeaderLimit);
  beast::error_code ec;
  std::size_t used = 0;
  while (!ec && used < bytes.size() && !parser.is_done()) {
    used += parser.put(net::buffer(bytes.data() + used, bytes.size() - used), ec);
  }
  if (!ec && !parser.is_done() && parser.got_some()) parser.put_eof(ec);
  if (ec == http::error::body_limit) {
    auto res = to_beast(Response::error(413, "request body too large", true), 11, false, false);
    return serialize(res);
  }
  if (ec == http::error::header_limit) {
    const int status = header_limit_status(parser);
    auto res =
        to_beast(Response::error(status, header_limit_message(status), true), 11, false, false);
    return serialize(res);
  }
  if (ec || !parser.is_done()) {
    auto res = to_beast(Response::error(400, "malformed request", true), 11, false, false);
    return serialize(res);
  }
  auto req = parser.release();
  Request r = to_request(req, "127.0.0.1");
  Response answer = invoke(handler, r);
  if (answer.pending) answer = answer.pending->wait();  // no event loop here: block
  auto res = to_beast(std::move(answer), req.version(), req.keep_alive(),
                      req.method() == http::verb::head);
  return serialize(res);
}

}  // namespace ita::web

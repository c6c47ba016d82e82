#pragma once
// The HTTP/1.1 server: Boost.Beast, asynchronous, one thread per core, keep-alive, a body
// limit and timeouts. Confined to server.cpp so only one translation unit compiles Beast.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "web/http.hpp"

namespace ita::web {

// A request line and header fields together may be this long; past it the request gets 414
// (a request line that does not end within it) or 431 (Request Header Fields Too Large).
inline constexpr std::size_t kHeaderLimit = 16 * 1024;

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0 picks a free port
  int threads = 0;             // 0 = one per core
  std::size_t body_limit = 1 << 20;
  // How long a connection may take to send a request's header, counted from when the server
  // starts waiting for it (so also how long an idle keep-alive connection stays open); then it
  // is closed. The body and the reply have 30 s each.
  std::chrono::milliseconds header_timeout{10000};
};

// One request given as raw HTTP/1.1 bytes through the parsing, handling and serialisation a
// connection uses, without a socket: the response's bytes (400 for bytes that are not one
// complete request, 413 past `body_limit`, 414 or 431 past kHeaderLimit). For fuzzing the
// request path.
std::string handle_raw_request(std::string_view bytes, const Handler& handler,
                               std::size_t body_limit);

class Server {
 public:
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens (throws std::runtime_error if the address is taken); returns the port.
  unsigned short listen();
  // Serves until stop() or SIGINT/SIGTERM (when handle_signals). Blocks. When a connection
  // cannot be accepted (out of file descriptors: EMFILE, ENFILE; or any other error) the server
  // tries again after 50 ms, doubling up to 500 ms while it keeps failing, and serves the open
  // connections meanwhile: it never spins on a failing accept.
  void run(bool handle_signals = false);
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ita::web

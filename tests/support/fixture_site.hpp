#pragma once
// A website on loopback for tests of outbound HTTP(S) (src/net): one HTTP and one HTTPS port on
// 127.0.0.1, served from a background thread, with routes registered by the test and a test CA
// made at run time (openssl CLI, into a temporary folder, once per process).
//
// Hosts: http_url/https_url address 127.0.0.1. "Another host" is the same server by another
// name: other_http_url/other_https_url use `localhost` (which also resolves to ::1, where
// nothing listens, so a client falls back to 127.0.0.1). The certificate is for both
// "localhost" and IP 127.0.0.1. Nothing listens on 127.0.0.2: a URL there is an internal
// address that must be refused, never a second fixture.
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ita::testing {

// What a route answers: the status, headers (Content-Length and Connection are added) and body.
struct FixtureResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

class FixtureSite {
 public:
  // Listens on two free ports of 127.0.0.1 and serves until stop() or destruction. Throws
  // std::runtime_error when the certificates cannot be made or nothing can listen.
  FixtureSite();
  ~FixtureSite();
  FixtureSite(const FixtureSite&) = delete;
  FixtureSite& operator=(const FixtureSite&) = delete;

  // Stops accepting, closes every open connection (stalled ones too) and joins the threads.
  // Idempotent.
  void stop();

  // Routes, by path (the query is ignored); registering a path again replaces it. A path never
  // registered answers 404. Each is safe to call while serving.
  void respond(const std::string& path, FixtureResponse response);
  // 200 with this Content-Type and body.
  void page(const std::string& path, const std::string& content_type, std::string body);
  // This status with a text/plain body.
  void status(const std::string& path, int status, std::string body = "");
  // A redirect to `location` as given: a path ("/b"), a relative one ("b") or an absolute URL.
  void redirect(const std::string& path, const std::string& location, int status = 302);
  // Sends the headers (Content-Length 1000000) and a part of the body, then nothing more until
  // the client goes away or the site stops: a page that never finishes.
  void stall(const std::string& path);
  // A body of `bytes` bytes of 'x', streamed 64 KiB at a time (never held), with a
  // Content-Length, or chunked (no length announced) when `chunked`.
  void big(const std::string& path, std::size_t bytes, bool chunked = false);
  // Claims Content-Length `claimed`, sends `body` (shorter) and closes the connection.
  void truncated(const std::string& path, std::size_t claimed, std::string body);
  // 200 text/html with `body` after waiting `delay` (cut short by stop()).
  void delayed(const std::string& path, std::chrono::milliseconds delay, std::string body);

  // http://127.0.0.1:PORT/path and https://127.0.0.1:PORT/path (`path` starts with '/').
  std::string http_url(const std::string& path) const;
  std::string https_url(const std::string& path) const;
  // The same with the host name `localhost`: another host for per-host limits and redirects.
  std::string other_http_url(const std::string& path) const;
  std::string other_https_url(const std::string& path) const;
  unsigned short http_port() const;
  unsigned short https_port() const;
  // The PEM of the CA that signed the server's certificate (FetchOptions::extra_ca_file).
  const std::string& ca_file() const;

  // Connections accepted so far (both ports).
  int connections_total() const;
  // Connections being served now, and the most at once since the last reset_counts(). A
  // connection counts from its acceptance until the server starts writing its reply's last
  // part (or the connection ends): a client that opens its next connection only after reading
  // a whole reply is then never counted twice at once.
  int connections_open() const;
  int connections_max() const;
  // Requests received for `path`.
  int hits(const std::string& path) const;
  // The value of header `name` (lower case) in the last request for `path`, "" when none.
  std::string last_header(const std::string& path, const std::string& name) const;
  // Zeroes the totals, the maximum and the hits (open connections stay counted).
  void reset_counts();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ita::testing

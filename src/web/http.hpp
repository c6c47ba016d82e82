#pragma once
// The web layer's own HTTP types: handlers never see Beast (it lives in server.cpp only).
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ita::web {

struct Request {
  std::string method;  // "GET", "POST", …
  std::string target;  // as received: path and query
  std::string path;    // percent-decoded path, no query
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // keys lower-case
  std::string body;
  std::string remote_ip;                      // for rate limiting in memory only; never stored
  std::map<std::string, std::string> params;  // route parameters, e.g. {id}

  std::string header(const std::string& lower_name) const;
  std::optional<std::string> cookie(const std::string& name) const;
  std::map<std::string, std::string> form() const;  // application/x-www-form-urlencoded body
  bool wants_json() const;
};

class PendingResponse;

struct Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Set when the reply is decided later, on another thread (a survey submission waits for the
  // group commit of its batch); the fields above are then unused. See Response::later.
  std::shared_ptr<PendingResponse> pending;

  static Response html(std::string body, int status = 200);
  static Response json(const nlohmann::json& j, int status = 200);
  static Response text(std::string body, int status = 200);
  static Response redirect(const std::string& location);  // 303 See Other
  // {"error": {"status": …, "message": …}} for the API; a small Thai page otherwise.
  static Response error(int status, const std::string& message, bool as_json);
  // A reply that `p->complete(…)` gives later. The server keeps the connection waiting without
  // holding a thread; callers without an event loop use p->wait().
  static Response later(std::shared_ptr<PendingResponse> p);
};

// The shared state of a deferred reply: completed exactly once (the first completion wins),
// from any thread; the continuation runs once, on the completing thread (or at once in then()
// when the reply is already known).
class PendingResponse {
 public:
  void complete(Response r);
  void then(std::function<void(Response)> continuation);
  Response wait();  // blocks until completed (for callers without an event loop)

 private:
  std::mutex mutex_;
  std::condition_variable done_;
  std::optional<Response> response_;
  std::function<void(Response)> continuation_;
  bool delivered_ = false;
};

using Handler = std::function<Response(Request&)>;

// Matches "/api/v1/rounds/{id}/oit/{item}" style patterns; {name} captures one segment.
class Router {
 public:
  void add(const std::string& method, const std::string& pattern, Handler h);
  // 404 when no pattern matches the path, 405 when only the method differs.
  Response dispatch(Request& r) const;
  // Every route added, in order: its method and its pattern as added ("/rounds/{id}").
  std::vector<std::pair<std::string, std::string>> routes() const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

std::string url_decode(std::string_view s, bool plus_is_space);
std::string url_encode(std::string_view s);
std::map<std::string, std::string> parse_urlencoded(std::string_view s);
std::string html_escape(std::string_view s);

}  // namespace ita::web

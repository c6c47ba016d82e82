#pragma once
// The web layer's own HTTP types: handlers never see Beast (it lives in server.cpp only).
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace ita::web {

struct Request {
  std::string method;  // "GET", "POST", …
  std::string target;  // as received: path and query
  std::string path;    // percent-decoded path, no query
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // keys lower-case
  std::string body;
  std::string remote_ip;  // for rate limiting in memory only; never stored
  std::map<std::string, std::string> params;  // route parameters, e.g. {id}

  std::string header(const std::string& lower_name) const;
  std::optional<std::string> cookie(const std::string& name) const;
  std::map<std::string, std::string> form() const;  // application/x-www-form-urlencoded body
  bool wants_json() const;
};

struct Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  static Response html(std::string body, int status = 200);
  static Response json(const nlohmann::json& j, int status = 200);
  static Response text(std::string body, int status = 200);
  static Response redirect(const std::string& location);  // 303 See Other
  // {"error": {"status": …, "message": …}} for the API; a small Thai page otherwise.
  static Response error(int status, const std::string& message, bool as_json);
};

using Handler = std::function<Response(Request&)>;

// Matches "/api/v1/rounds/{id}/oit/{item}" style patterns; {name} captures one segment.
class Router {
 public:
  void add(const std::string& method, const std::string& pattern, Handler h);
  // 404 when no pattern matches the path, 405 when only the method differs.
  Response dispatch(Request& r) const;

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

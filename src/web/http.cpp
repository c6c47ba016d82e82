#include "web/http.hpp"

#include <cctype>
#include <sstream>

namespace ita::web {

namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<std::string> split_path(std::string_view p) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < p.size()) {
    while (i < p.size() && p[i] == '/') ++i;
    const std::size_t j = p.find('/', i);
    const std::size_t end = j == std::string_view::npos ? p.size() : j;
    if (end > i) out.emplace_back(p.substr(i, end - i));
    i = end;
  }
  return out;
}

}  // namespace

std::string url_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int a = hex(s[i + 1]);
      const int b = hex(s[i + 2]);
      if (a >= 0 && b >= 0) {
        out += static_cast<char>(a * 16 + b);
        i += 2;
        continue;
      }
    }
    out += plus_is_space && s[i] == '+' ? ' ' : s[i];
  }
  return out;
}

std::string url_encode(std::string_view s) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  }
  return out;
}

std::map<std::string, std::string> parse_urlencoded(std::string_view s) {
  std::map<std::string, std::string> out;
  std::size_t i = 0;
  while (i <= s.size()) {
    const std::size_t amp = s.find('&', i);
    const std::string_view pair =
        s.substr(i, amp == std::string_view::npos ? std::string_view::npos : amp - i);
    if (!pair.empty()) {
      const std::size_t eq = pair.find('=');
      out[url_decode(pair.substr(0, eq), true)] =
          eq == std::string_view::npos ? "" : url_decode(pair.substr(eq + 1), true);
    }
    if (amp == std::string_view::npos) break;
    i = amp + 1;
  }
  return out;
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Request::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

std::optional<std::string> Request::cookie(const std::string& name) const {
  const std::string all = header("cookie");
  std::size_t i = 0;
  while (i < all.size()) {
    while (i < all.size() && (all[i] == ' ' || all[i] == ';')) ++i;
    const std::size_t semi = all.find(';', i);
    const std::string pair =
        all.substr(i, semi == std::string::npos ? std::string::npos : semi - i);
    const std::size_t eq = pair.find('=');
    if (eq != std::string::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
    if (semi == std::string::npos) break;
    i = semi + 1;
  }
  return std::nullopt;
}

std::map<std::string, std::string> Request::form() const {
  return parse_urlencoded(body);
}

bool Request::wants_json() const {
  return path.starts_with("/api/") ||
         header("accept").find("application/json") != std::string::npos;
}

Response Response::html(std::string body, int status) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response Response::json(const nlohmann::json& j, int status) {
  Response r;
  r.status = status;
  r.content_type = "application/json; charset=utf-8";
  // Invalid UTF-8 (e.g. a path quoted in an error message) becomes U+FFFD instead of a throw.
  r.body = j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  return r;
}

Response Response::text(std::string body, int status) {
  Response r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

Response Response::redirect(const std::string& location) {
  Response r;
  r.status = 303;
  r.headers.emplace_back("Location", location);
  return r;
}

Response Response::error(int status, const std::string& message, bool as_json) {
  if (as_json) return json({{"error", {{"status", status}, {"message", message}}}}, status);
  std::ostringstream s;
  s << "<!doctype html><html lang=\"th\"><meta charset=\"utf-8\"><meta name=\"viewport\" "
       "content=\"width=device-width\">"
    << "<title>ข้อผิดพลาด " << status
    << "</title><body style=\"font-family:sans-serif;max-width:40rem;margin:2rem auto\">"
    << "<h1>ข้อผิดพลาด " << status << "</h1><p>" << html_escape(message)
    << "</p><p><a href=\"/\">กลับหน้าแรก</a></p></body></html>";
  return html(s.str(), status);
}

Response Response::later(std::shared_ptr<PendingResponse> p) {
  Response r;
  r.pending = std::move(p);
  return r;
}

void PendingResponse::complete(Response r) {
  std::function<void(Response)> continuation;
  {
    std::lock_guard lock(mutex_);
    if (response_ || delivered_) return;
    if (continuation_) {
      continuation = std::move(continuation_);
      delivered_ = true;
    } else {
      response_ = std::move(r);
    }
  }
  done_.notify_all();
  if (continuation) continuation(std::move(r));
}

void PendingResponse::then(std::function<void(Response)> continuation) {
  std::optional<Response> ready;
  {
    std::lock_guard lock(mutex_);
    if (!response_) {
      continuation_ = std::move(continuation);
      return;
    }
    ready = std::move(response_);
    response_.reset();
    delivered_ = true;
  }
  continuation(std::move(*ready));
}

Response PendingResponse::wait() {
  std::unique_lock lock(mutex_);
  done_.wait(lock, [&] { return response_.has_value(); });
  return *response_;
}

void Router::add(const std::string& method, const std::string& pattern, Handler h) {
  routes_.push_back({method, split_path(pattern), std::move(h)});
}

std::vector<std::pair<std::string, std::string>> Router::routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& route : routes_) {
    std::string pattern;
    for (const auto& s : route.segments) pattern += "/" + s;
    out.emplace_back(route.method, pattern.empty() ? "/" : pattern);
  }
  return out;
}

Response Router::dispatch(Request& r) const {
  const auto segments = split_path(r.path);
  bool path_matched = false;
  for (const auto& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::map<std::string, std::string> params;
    bool ok = true;
    for (std::size_t i = 0; ok && i < segments.size(); ++i) {
      const auto& want = route.segments[i];
      if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
        params[want.substr(1, want.size() - 2)] = segments[i];
      } else {
        ok = want == segments[i];
      }
    }
    if (!ok) continue;
    path_matched = true;
    if (route.method != r.method && !(route.method == "GET" && r.method == "HEAD")) continue;
    r.params = std::move(params);
    return route.handler(r);
  }
  if (path_matched)
    return Response::error(405, "method " + r.method + " is not allowed here", r.wants_json());
  return Response::error(404, "ไม่พบหน้าที่ต้องการ (" + r.path + ")", r.wants_json());
}

}  // namespace ita::web

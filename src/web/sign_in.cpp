// Signing in and out: the login form, the login (rate limited per account and per address) and
// the logout.
#include <algorithm>
#include <chrono>

#include "web/app.hpp"
#include "web/areas.hpp"

namespace ita::web {

namespace {

using nlohmann::json;

constexpr int kSessionSeconds = 8 * 3600;

std::string cookie(const std::string& name, const std::string& value, int max_age, bool secure) {
  return name + "=" + value +
         "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age) +
         (secure ? "; Secure" : "");
}

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

void SignIn::add_routes(Router& router) {
  route(router, "GET", "/login", this, &SignIn::form);
  route(router, "POST", "/login", this, &SignIn::login);
  route(router, "POST", "/logout", this, &SignIn::logout);
}

std::string SignIn::client_address(const Request& r) const {
  const auto& proxies = web_.options.trusted_proxies;
  if (std::find(proxies.begin(), proxies.end(), r.remote_ip) == proxies.end()) return r.remote_ip;
  // nginx's $proxy_add_x_forwarded_for appends the address it saw last: the one it vouches for.
  const std::string forwarded = r.header("x-forwarded-for");
  const auto comma = forwarded.rfind(',');
  std::string last = comma == std::string::npos ? forwarded : forwarded.substr(comma + 1);
  last.erase(0, last.find_first_not_of(' '));
  last.erase(last.find_last_not_of(' ') + 1);
  return last.empty() ? r.remote_ip : last;
}

Response SignIn::form(Request& r) {
  Caller c = web_.caller(r);
  if (c.user) return Response::redirect("/");
  std::string token = r.cookie(kCsrfCookie).value_or("");
  json m = web_.page_model(c, "เข้าสู่ระบบ");
  Response res;
  if (token.empty()) {
    token = random_token(16);
    res.headers.emplace_back("Set-Cookie", std::string(kCsrfCookie) + "=" + token +
                                               "; Path=/; HttpOnly; SameSite=Strict");
  }
  m["csrf"] = token;
  const int status = r.query.contains("failed") ? 401 : 200;
  if (status == 401) m["errors"].push_back("อีเมลหรือรหัสผ่านไม่ถูกต้อง");
  Response page_res = web_.page("login", m, status);
  page_res.headers = res.headers;
  return page_res;
}

Response SignIn::login(Request& r) {
  const auto form = r.form();
  if (!web_.csrf_ok(r, Caller{}, form))
    throw HttpError(403, "แบบฟอร์มหมดอายุ กรุณาโหลดหน้าเข้าสู่ระบบใหม่");
  const std::string email = field(form, "email");
  const std::string client = client_address(r);
  if (!addresses_.allowed(client) || !accounts_.allowed(email)) {
    return Response::error(429, "พยายามเข้าสู่ระบบผิดหลายครั้ง กรุณารอ 15 นาที", false);
  }
  const auto user = web_.store.user_by_email(email);
  if (!user || !verify_password(user->password_hash, field(form, "password"))) {
    addresses_.failed(client);
    accounts_.failed(email);
    return Response::redirect("/login?failed=1");
  }
  accounts_.succeeded(email);
  const std::string token = random_token(32);
  web_.store.create_session(
      {sha256_hex(token), user->id, random_token(16), now_seconds() + kSessionSeconds});
  Response res = Response::redirect("/");
  res.headers.emplace_back(
      "Set-Cookie", cookie(kSessionCookie, token, kSessionSeconds, web_.options.secure_cookies));
  return res;
}

Response SignIn::logout(Request& r) {
  Caller c = web_.caller(r);
  if (c.session && web_.csrf_ok(r, c, r.form())) {
    if (auto token = r.cookie(kSessionCookie)) web_.store.delete_session(sha256_hex(*token));
  }
  Response res = Response::redirect("/login");
  res.headers.emplace_back("Set-Cookie",
                           cookie(kSessionCookie, "", 0, web_.options.secure_cookies));
  return res;
}

}  // namespace ita::web

// Signing in and out: the login form, the login (LoginThrottle: per account and client, per
// client, growing delays per account; web/auth.hpp), the logout, and the password page.
#include <algorithm>
#include <chrono>

#include "service/accounts.hpp"
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

// 429 for a client that must wait `wait` before trying again, saying how long (also in
// Retry-After).
Response too_many_attempts(std::chrono::seconds wait) {
  const auto minutes = (wait.count() + 59) / 60;
  const std::string how_long =
      wait.count() < 60 ? std::to_string(wait.count()) + " วินาที" : std::to_string(minutes) + " นาที";
  Response res =
      Response::error(429, "พยายามเข้าสู่ระบบผิดหลายครั้ง กรุณารอ " + how_long + " แล้วลองใหม่", false);
  res.headers.emplace_back("Retry-After", std::to_string(wait.count()));
  return res;
}

}  // namespace

void SignIn::add_routes(Router& router) {
  route(router, "GET", "/login", this, &SignIn::form);
  route(router, "POST", "/login", this, &SignIn::login);
  route(router, "POST", "/logout", this, &SignIn::logout);
  route(router, "GET", "/account/password", this, &SignIn::password_form);
  route(router, "POST", "/account/password", this, &SignIn::change_password);
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
  const std::string email = service::normalize_email(field(form, "email"));
  const std::string client = web_.client_address(r);
  const auto user = email.empty() ? std::nullopt : web_.store.user_by_email(email);
  // A known user is counted by id: every spelling the store matches shares one count.
  const std::string account = user ? "user:" + std::to_string(user->id) : "address:" + email;
  if (const auto wait = throttle_.wait(account, client); wait.count() > 0)
    return too_many_attempts(wait);
  // Without a user (or with a disabled one) the password is checked against a hash nobody can
  // match, so that the reply takes as long as for a real user and does not tell who exists.
  const bool matches =
      verify_password(user ? user->password_hash : dummy_password_hash(), field(form, "password"));
  if (!matches || !user || user->disabled_at) {
    throttle_.failed(account, client);
    return Response::redirect("/login?failed=1");
  }
  throttle_.succeeded(account, client);
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

Caller SignIn::session_user(const Request& r) {
  Caller c = web_.signed_in(r);
  if (!c.session) throw HttpError(403, "เปลี่ยนรหัสผ่านได้เมื่อเข้าสู่ระบบผ่านเบราว์เซอร์เท่านั้น");
  return c;
}

Response SignIn::password_form(Request& r) {
  const Caller c = session_user(r);
  json m = web_.page_model(c, "เปลี่ยนรหัสผ่าน");
  m["email"] = c.user->email;
  m["min_length"] = service::kMinPasswordLength;
  return web_.page("account_password", m);
}

Response SignIn::change_password(Request& r) {
  const Caller c = session_user(r);
  const auto form = r.form();
  web_.require_csrf(r, c, form);
  json m = web_.page_model(c, "เปลี่ยนรหัสผ่าน");
  m["email"] = c.user->email;
  m["min_length"] = service::kMinPasswordLength;
  const std::string next = field(form, "password");
  if (next != field(form, "password2")) {
    m["errors"].push_back("รหัสผ่านใหม่ทั้งสองช่องไม่ตรงกัน");
    return web_.page("account_password", m, 422);
  }
  // Guessing the current password from a stolen session is limited like a login.
  const std::string account = "user:" + std::to_string(c.user->id);
  const std::string client = web_.client_address(r);
  if (const auto wait = throttle_.wait(account, client); wait.count() > 0)
    return too_many_attempts(wait);
  switch (service::change_own_password(web_.store, *c.user, field(form, "current"), next,
                                       c.session->token_hash)) {
    case service::OwnPasswordChange::Changed:
      throttle_.succeeded(account, client);
      m["flash"] = "เปลี่ยนรหัสผ่านแล้ว อุปกรณ์อื่นที่เข้าสู่ระบบไว้ต้องเข้าสู่ระบบใหม่";
      return web_.page("account_password", m);
    case service::OwnPasswordChange::WrongCurrent:
      throttle_.failed(account, client);
      m["errors"].push_back("รหัสผ่านปัจจุบันไม่ถูกต้อง");
      break;
    case service::OwnPasswordChange::TooShort:
      m["errors"].push_back("รหัสผ่านใหม่ต้องยาวอย่างน้อย " +
                            std::to_string(service::kMinPasswordLength) + " ตัวอักษร");
      break;
    case service::OwnPasswordChange::Common:
      m["errors"].push_back("รหัสผ่านใหม่เป็นรหัสที่มีผู้ใช้กันมาก เดาได้ง่าย กรุณาเลือกรหัสอื่น");
      break;
  }
  return web_.page("account_password", m, 422);
}

}  // namespace ita::web

#include "cli/web_commands.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/data_commands.hpp"
#include "core/thai.hpp"
#include "service/accounts.hpp"
#include "service/secrets.hpp"

namespace ita::cli {

namespace {

void add_db_option(CLI::App* cmd, std::string& db) {
  cmd->add_option("--db", db,
                  "Database: a SQLite file path (default var/openita.sqlite) or postgresql://…")
      ->capture_default_str();
}

std::unique_ptr<store::Store> open(const std::string& db) {
  const bool sqlite = db.find("://") == std::string::npos;
  if (sqlite) {
    const std::filesystem::path p(db.starts_with("sqlite:") ? db.substr(7) : db);
    if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
  }
  return store::open_store(db);
}

// The first line of `in`, without a trailing CR: how `ita user add|passwd` read a password.
std::string read_password(std::istream& in) {
  std::string password;
  std::getline(in, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return password;
}

// Unix seconds as a person in Thailand reads them: "31/01/2568 21:05", the day with its Buddhist
// Era year and the time in Thailand (UTC+7, no daylight saving).
std::string thai_time(std::int64_t seconds) {
  namespace chr = std::chrono;
  const chr::sys_seconds at{chr::seconds(seconds) + chr::hours(7)};
  const auto day = chr::floor<chr::days>(at);
  const chr::hh_mm_ss clock{at - day};
  char hm[8];
  std::snprintf(hm, sizeof hm, "%02d:%02d", static_cast<int>(clock.hours().count()),
                static_cast<int>(clock.minutes().count()));
  return format_be_date(chr::year_month_day{day}) + " " + hm;
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The OIT readiness check's fetching. Internal addresses stay refused unless a test asks: an
// agency's evidence URL must never reach the server's own network.
void add_evidence_options(CLI::App* serve, service::OitCheckSettings& s) {
  serve
      ->add_option_function<int>(
          "--evidence-timeout",
          [&s](int seconds) { s.fetch.total_timeout = std::chrono::seconds(seconds); },
          "OIT readiness check: seconds per evidence URL, redirects included (default 20)")
      ->check(CLI::Range(1, 300));
  serve
      ->add_option("--evidence-per-host", s.fetch.per_host,
                   "OIT readiness check: connections at once to one agency's web server")
      ->capture_default_str()
      ->check(CLI::Range(1, 16));
  serve->add_option("--evidence-ca-file", s.fetch.extra_ca_file,
                    "OIT readiness check: a PEM certificate to trust besides the system's");
  serve->add_flag_callback(
      "--allow-loopback-evidence",
      [&s] {
        s.fetch.allow_addresses = {"127.0.0.1", "::1"};
      },
      "TESTS ONLY: let the OIT readiness check fetch from this machine's loopback address");
}

}  // namespace

WebCommands::WebCommands(CLI::App& app, ServeFn serve) : serve_fn_(std::move(serve)) {
  ServeOptions& o = options_;
  serve_ = app.add_subcommand("serve", "Serve the web application");
  add_db_option(serve_, o.db);
  serve_->add_option("--address", o.address, "Address to listen on")->capture_default_str();
  serve_->add_option("--port", o.port, "Port to listen on")
      ->capture_default_str()
      ->check(CLI::Range(1, 65535));
  serve_->add_option("--threads", o.threads, "Worker threads (0 = one per core)")
      ->check(CLI::Range(0, 256));
  serve_->add_option("--base-url", base_url_, "Public address used in survey links and QR codes");
  serve_->add_flag("--demo", o.demo, "Load the demo agency (once) before serving");
  serve_->add_flag("--secure-cookies", o.secure_cookies,
                   "Mark session cookies Secure (when served over HTTPS, e.g. behind nginx)");
  serve_->add_option("--trusted-proxy", o.trusted_proxies,
                     "Address of a reverse proxy whose X-Forwarded-For names the client (for the "
                     "login and survey rate limits); repeatable");
  serve_
      ->add_option("--dashboard-min-group", o.dashboard_min_group,
                   "National dashboard: groups of fewer agencies show no figures")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  serve_
      ->add_option("--min-respondents", o.min_respondents,
                   "A survey tool answered by fewer people shows no item scores or raw answers")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  serve_
      ->add_option(
          "--dashboard-refresh", o.dashboard_refresh,
          "National dashboard: seconds its figures are reused before the database is scored again")
      ->capture_default_str()
      ->check(CLI::Range(0, 86400));
  serve_
      ->add_option("--survey-rate", o.survey_rate,
                   "Public surveys: forms shown, and answers sent, per minute per client address "
                   "(each its own allowance; 0 = unlimited)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1000000.0));
  serve_
      ->add_option("--survey-burst", o.survey_burst,
                   "Public surveys: forms or answers a client address may send at once before "
                   "--survey-rate applies")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  serve_
      ->add_option("--mix-interval", o.mix_interval,
                   "Seconds between two passes that rewrite the survey responses stored since in "
                   "key order, so the database files do not show the order they arrived in "
                   "(0 = only when the server starts and stops)")
      ->capture_default_str()
      ->check(CLI::Range(0, 86400));
  add_evidence_options(serve_, o.oit_check);

  auto* user = app.add_subcommand("user", "Users of the web application");
  user->require_subcommand(1);
  user_add_ = user->add_subcommand("add", "Add a user; the password is read from standard input");
  user_add_->add_option("EMAIL", email_, "E-mail address (the login)")->required();
  user_add_->add_option("--role", role_, "admin, officer, assessor or viewer")
      ->required()
      ->check(CLI::IsMember({"admin", "officer", "assessor", "viewer"}));
  user_add_
      ->add_flag("--password-stdin", password_stdin_,
                 "Read the password from the first line of standard input")
      ->required();
  user_add_->add_option("--agency", agency_, "Agency id (required for officer and viewer)");
  add_db_option(user_add_, o.db);
  user_passwd_ = user->add_subcommand(
      "passwd", "Set a user's password, read from standard input; ends all their sessions");
  user_passwd_->add_option("EMAIL", email_, "The user's e-mail")->required();
  user_passwd_->add_flag("--password-stdin", password_stdin_,
                         "Read the password from the first line of standard input (the default)");
  add_db_option(user_passwd_, o.db);
  user_disable_ = user->add_subcommand(
      "disable", "Disable a user: no sign-in; their sessions and API tokens stop working at once");
  user_disable_->add_option("EMAIL", email_, "The user's e-mail")->required();
  add_db_option(user_disable_, o.db);

  auto* token = app.add_subcommand("token", "API bearer tokens");
  token->require_subcommand(1);
  token_create_ =
      token->add_subcommand("create", "Create a bearer token for a user (printed once)");
  token_create_->add_option("--user", email_, "The user's e-mail")->required();
  token_create_->add_option("--days", token_days_, "Days until the token expires")
      ->capture_default_str()
      ->check(CLI::Range(1, service::kMaxTokenDays));
  add_db_option(token_create_, o.db);
  token_list_ = token->add_subcommand(
      "list", "List API tokens without their secrets: id, user, created, expires, last use");
  token_list_->add_option("EMAIL", list_email_, "Only this user's tokens");
  add_db_option(token_list_, o.db);
  token_revoke_ =
      token->add_subcommand("revoke", "Revoke an API token by the id `ita token list` shows");
  token_revoke_->add_option("ID", token_id_, "The token's id")
      ->required()
      ->check(CLI::PositiveNumber);
  add_db_option(token_revoke_, o.db);
}

bool WebCommands::chosen() const {
  for (const CLI::App* cmd : {serve_, user_add_, user_passwd_, user_disable_, token_create_,
                              token_list_, token_revoke_}) {
    if (cmd->parsed()) return true;
  }
  return false;
}

int WebCommands::run(std::ostream& out, std::ostream& err, std::istream& in) {
  try {
    if (serve_->parsed()) return serve(out, err);
    if (user_add_->parsed()) return add_user(out, in);
    if (user_passwd_->parsed()) return set_password(out, in);
    if (user_disable_->parsed()) return disable_user(out);
    if (token_list_->parsed()) return list_tokens(out);
    if (token_revoke_->parsed()) return revoke_token(out);
    return create_token(out, err);
  } catch (const store::StoreError& e) {
    err << "ita: database error: " << e.what() << "\n";
  } catch (const store::Conflict& e) {
    err << "ita: error: " << e.what() << "\n";
  }
  return 2;
}

int WebCommands::serve(std::ostream& out, std::ostream& err) {
  if (!serve_fn_) {
    err << "ita: error: this build of ita cannot serve the web application\n";
    return 2;
  }
  ServeOptions options = options_;
  options.base_url =
      base_url_.value_or("http://" + options.address + ":" + std::to_string(options.port));
  // A damaged database is refused before it is migrated or served (cli/data_commands.hpp).
  if (const int refused = check_before_serving(options.db, err); refused != 0) return refused;
  auto store = open(options.db);
  return serve_fn_(*store, options, out);
}

int WebCommands::add_user(std::ostream& out, std::istream& in) {
  const auto role = store::parse_role(role_);
  const std::string password = read_password(in);
  service::check_new_user(*role, agency_, password);
  auto store = open(options_.db);
  service::init_crypto();
  const auto u = service::add_user(*store, email_, *role, agency_, password);
  out << "user " << u.id << " " << u.email << " (" << role_ << ") added\n";
  return 0;
}

int WebCommands::set_password(std::ostream& out, std::istream& in) {
  const std::string password = read_password(in);
  service::check_password(password);  // before the database is opened
  auto store = open(options_.db);
  service::init_crypto();
  service::set_password(*store, email_, password);
  out << "password of " << email_ << " changed; their sessions have ended\n";
  return 0;
}

int WebCommands::disable_user(std::ostream& out) {
  auto store = open(options_.db);
  service::disable_user(*store, email_);
  out << "user " << email_ << " disabled: no sign-in, their sessions and API tokens no longer "
      << "work\n";
  return 0;
}

int WebCommands::create_token(std::ostream& out, std::ostream& err) {
  auto store = open(options_.db);
  service::init_crypto();
  const auto t = service::create_api_token(*store, email_, token_days_);
  out << t.secret << "\n";
  err << "API token " << t.token.id << " for " << t.token.email << ", expires "
      << thai_time(t.token.expires_at) << " (Thailand time)\n";
  return 0;
}

int WebCommands::list_tokens(std::ostream& out) {
  auto store = open(options_.db);
  const auto tokens = service::api_tokens(*store, list_email_);
  if (tokens.empty()) {
    out << "no API tokens\n";
    return 0;
  }
  std::size_t width = 4;
  for (const auto& t : tokens) width = std::max(width, t.email.size());
  const auto pad = [](std::string s, std::size_t n) {
    return s.append(n - std::min(n, s.size()), ' ');
  };
  // Times in Thailand, Buddhist Era years (thai_time).
  out << pad("id", 6) << pad("user", width + 2) << pad("created", 18) << pad("expires", 26)
      << "last used\n";
  const std::int64_t now = unix_now();
  for (const auto& t : tokens) {
    out << pad(std::to_string(t.id), 6) << pad(t.email, width + 2)
        << pad(thai_time(t.created_at), 18)
        << pad(thai_time(t.expires_at) + (t.expires_at <= now ? " expired" : ""), 26)
        << (t.last_used_at ? thai_time(*t.last_used_at) : "never") << "\n";
  }
  return 0;
}

int WebCommands::revoke_token(std::ostream& out) {
  auto store = open(options_.db);
  service::revoke_api_token(*store, token_id_);
  out << "API token " << token_id_ << " revoked\n";
  return 0;
}

}  // namespace ita::cli

#include "cli/web_commands.hpp"

#include <filesystem>
#include <iostream>

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
                     "login rate limit); repeatable");
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

  auto* token = app.add_subcommand("token", "API bearer tokens");
  token->require_subcommand(1);
  token_create_ =
      token->add_subcommand("create", "Create a bearer token for a user (printed once)");
  token_create_->add_option("--user", email_, "The user's e-mail")->required();
  add_db_option(token_create_, o.db);
}

bool WebCommands::chosen() const {
  return serve_->parsed() || user_add_->parsed() || token_create_->parsed();
}

int WebCommands::run(std::ostream& out, std::ostream& err, std::istream& in) {
  try {
    if (serve_->parsed()) return serve(out, err);
    if (user_add_->parsed()) return add_user(out, in);
    return create_token(out);
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
  auto store = open(options.db);
  return serve_fn_(*store, options, out);
}

int WebCommands::add_user(std::ostream& out, std::istream& in) {
  const auto role = store::parse_role(role_);
  std::string password;
  std::getline(in, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  service::check_new_user(*role, agency_, password);
  auto store = open(options_.db);
  service::init_crypto();
  const auto u = service::add_user(*store, email_, *role, agency_, password);
  out << "user " << u.id << " " << u.email << " (" << role_ << ") added\n";
  return 0;
}

int WebCommands::create_token(std::ostream& out) {
  auto store = open(options_.db);
  service::init_crypto();
  out << service::create_api_token(*store, email_) << "\n";
  return 0;
}

}  // namespace ita::cli

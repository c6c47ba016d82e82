#include "cli/web_commands.hpp"

#include <filesystem>
#include <iostream>

#include "io/edition_registry.hpp"
#include "store/store.hpp"
#include "web/app.hpp"
#include "web/auth.hpp"
#include "web/demo.hpp"
#include "web/server.hpp"

namespace ita::cli {

namespace {

void add_db_option(CLI::App* cmd, std::string& db) {
  cmd->add_option("--db", db, "Database: a SQLite file path (default var/openita.sqlite) or postgresql://…")->capture_default_str();
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

WebCommands::WebCommands(CLI::App& app) {
  serve_ = app.add_subcommand("serve", "Serve the web application");
  add_db_option(serve_, db_);
  serve_->add_option("--address", address_, "Address to listen on")->capture_default_str();
  serve_->add_option("--port", port_, "Port to listen on")->capture_default_str()->check(CLI::Range(1, 65535));
  serve_->add_option("--threads", threads_, "Worker threads (0 = one per core)")->check(CLI::Range(0, 256));
  serve_->add_option("--base-url", base_url_, "Public address used in survey links and QR codes");
  serve_->add_flag("--demo", demo_, "Load the demo agency (once) before serving");
  serve_->add_flag("--secure-cookies", secure_cookies_, "Mark session cookies Secure (when served over HTTPS, e.g. behind nginx)");
  serve_->add_option("--trusted-proxy", trusted_proxies_,
                     "Address of a reverse proxy whose X-Forwarded-For names the client (for the login rate limit); repeatable");
  serve_->add_option("--dashboard-min-group", dashboard_min_group_,
                     "National dashboard: groups of fewer agencies show no figures")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  serve_
      ->add_option("--min-respondents", min_respondents_,
                   "A survey tool answered by fewer people shows no item scores or raw answers")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  serve_->add_option("--dashboard-refresh", dashboard_refresh_,
                     "National dashboard: seconds its figures are reused before the database is scored again")
      ->capture_default_str()
      ->check(CLI::Range(0, 86400));

  auto* user = app.add_subcommand("user", "Users of the web application");
  user->require_subcommand(1);
  user_add_ = user->add_subcommand("add", "Add a user; the password is read from standard input");
  user_add_->add_option("EMAIL", email_, "E-mail address (the login)")->required();
  user_add_->add_option("--role", role_, "admin, officer, assessor or viewer")->required()->check(CLI::IsMember({"admin", "officer", "assessor", "viewer"}));
  user_add_->add_flag("--password-stdin", password_stdin_, "Read the password from the first line of standard input")->required();
  user_add_->add_option("--agency", agency_, "Agency id (required for officer and viewer)");
  add_db_option(user_add_, db_);

  auto* token = app.add_subcommand("token", "API bearer tokens");
  token->require_subcommand(1);
  token_create_ = token->add_subcommand("create", "Create a bearer token for a user (printed once)");
  token_create_->add_option("--user", email_, "The user's e-mail")->required();
  add_db_option(token_create_, db_);
}

bool WebCommands::chosen() const { return serve_->parsed() || user_add_->parsed() || token_create_->parsed(); }

int WebCommands::run(std::ostream& out, std::ostream& err, std::istream& in) {
  try {
    if (serve_->parsed()) return serve(out);
    if (user_add_->parsed()) return add_user(out, in);
    return create_token(out);
  } catch (const store::StoreError& e) {
    err << "ita: database error: " << e.what() << "\n";
  } catch (const store::Conflict& e) {
    err << "ita: error: " << e.what() << "\n";
  }
  return 2;
}

int WebCommands::serve(std::ostream& out) {
  auto store = open(db_);
  const io::EditionSet editions = io::EditionSet::builtin();
  const std::string base = base_url_.value_or("http://" + address_ + ":" + std::to_string(port_));
  web::AppOptions options;
  options.base_url = base;
  options.db_url = db_;
  options.secure_cookies = secure_cookies_;
  options.trusted_proxies = trusted_proxies_;
  options.dashboard_min_group = dashboard_min_group_;
  options.dashboard_refresh_seconds = dashboard_refresh_;
  options.min_respondents = min_respondents_;
  web::App app(*store, editions, options);
  web::Server server({address_, static_cast<unsigned short>(port_), threads_}, [&app](web::Request& r) { return app.handle(r); });
  server.listen();
  out << "OpenITA is serving " << base << "  (database: " << db_ << ")\n";
  if (demo_) {
    const auto demo = web::load_demo(*store, editions);
    out << (demo.created ? "Demo agency loaded: " : "Demo agency present: ") << "เทศบาลตำบลแม่สายมิตรภาพ, round " << demo.round_id << "\n";
    out << "Demo logins (password for all: " << (demo.logins.empty() ? "" : demo.logins.front().password) << "):\n";
    for (const auto& l : demo.logins) out << "  " << l.role << "\t" << l.email << "\n";
    out << "Public surveys (no login):\n  IIT " << base << "/s/" << demo.iit_link_token << "\n  EIT " << base << "/s/" << demo.eit_link_token << "\n";
  }
  out << "Press Ctrl-C to stop." << std::endl;
  server.run(true);
  return 0;
}

int WebCommands::add_user(std::ostream& out, std::istream& in) {
  const auto role = store::parse_role(role_);
  if ((role == store::Role::Officer || role == store::Role::Viewer) && !agency_) {
    throw store::Conflict("--agency is required for the " + role_ + " role");
  }
  std::string password;
  std::getline(in, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.size() < 10) throw store::Conflict("the password must be at least 10 characters");
  auto store = open(db_);
  if (agency_ && !store->agency(*agency_)) throw store::Conflict("no agency with id " + std::to_string(*agency_));
  web::init_crypto();
  const auto u = store->create_user({0, email_, *role, agency_, web::hash_password(password)}, std::nullopt);
  out << "user " << u.id << " " << u.email << " (" << role_ << ") added\n";
  return 0;
}

int WebCommands::create_token(std::ostream& out) {
  auto store = open(db_);
  const auto u = store->user_by_email(email_);
  if (!u) throw store::Conflict("no user with e-mail " + email_);
  web::init_crypto();
  const std::string token = web::random_token(32);
  store->create_api_token(web::sha256_hex(token), u->id, u->id);
  out << token << "\n";
  return 0;
}

}  // namespace ita::cli

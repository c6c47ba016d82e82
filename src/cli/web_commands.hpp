#pragma once
// `ita serve`, `ita user add|passwd|disable`, `ita token create|list|revoke`: the commands that
// need the store. The web application itself is wired in by src/main.cpp (ServeFn): the cli
// never includes web.
#include <CLI/CLI.hpp>
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "service/oit_check.hpp"
#include "store/store.hpp"

namespace ita::cli {

// The options of `ita serve`, as given on the command line.
struct ServeOptions {
  std::string db = "var/openita.sqlite";  // the store's URL, also for the writer and dashboard
  std::string address = "127.0.0.1";
  int port = 8080;
  int threads = 0;       // 0 = one per core
  std::string base_url;  // the public address; "http://ADDRESS:PORT" when not given
  bool demo = false;     // load the demo agency (once) before serving
  bool secure_cookies = false;
  std::vector<std::string> trusted_proxies;
  std::size_t dashboard_min_group = 5;
  std::size_t min_respondents = 5;
  int dashboard_refresh = 60;
  double survey_rate = 30;  // survey requests a minute per client address; 0: unlimited
  int survey_burst = 10;    // survey requests a client address may make at once
  int mix_interval = 60;  // seconds between passes of mixing (README, "Threat model …"); 0: none
  // The OIT readiness check's fetching (service/oit_check.hpp); internal addresses only in tests.
  service::OitCheckSettings oit_check;
};

// Serves the web application over `store` until it is stopped, printing where to `out`; returns
// the exit code. May throw store::StoreError.
using ServeFn =
    std::function<int(store::Store& store, const ServeOptions& options, std::ostream& out)>;

class WebCommands {
 public:
  WebCommands(CLI::App& app, ServeFn serve);
  bool chosen() const;
  int run(std::ostream& out, std::ostream& err, std::istream& in);

 private:
  int serve(std::ostream& out, std::ostream& err);
  int add_user(std::ostream& out, std::istream& in);
  int set_password(std::ostream& out, std::istream& in);
  int disable_user(std::ostream& out);
  int create_token(std::ostream& out, std::ostream& err);
  int list_tokens(std::ostream& out);
  int revoke_token(std::ostream& out);

  ServeFn serve_fn_;
  CLI::App* serve_ = nullptr;
  CLI::App* user_add_ = nullptr;
  CLI::App* user_passwd_ = nullptr;
  CLI::App* user_disable_ = nullptr;
  CLI::App* token_create_ = nullptr;
  CLI::App* token_list_ = nullptr;
  CLI::App* token_revoke_ = nullptr;
  int token_days_ = 90;  // service::kDefaultTokenDays
  std::int64_t token_id_ = 0;
  std::optional<std::string> list_email_;
  ServeOptions options_;
  std::optional<std::string> base_url_;
  std::string email_;
  std::string role_;
  bool password_stdin_ = false;
  std::optional<std::int64_t> agency_;
};

}  // namespace ita::cli

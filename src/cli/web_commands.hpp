#pragma once
// `ita serve`, `ita user add`, `ita token create`: the commands that need the store.
#include <CLI/CLI.hpp>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace ita::cli {

class WebCommands {
 public:
  explicit WebCommands(CLI::App& app);
  bool chosen() const;
  int run(std::ostream& out, std::ostream& err, std::istream& in);

 private:
  int serve(std::ostream& out);
  int add_user(std::ostream& out, std::istream& in);
  int create_token(std::ostream& out);

  CLI::App* serve_ = nullptr;
  CLI::App* user_add_ = nullptr;
  CLI::App* token_create_ = nullptr;
  std::string db_ = "var/openita.sqlite";
  std::string address_ = "127.0.0.1";
  int port_ = 8080;
  int threads_ = 0;
  bool demo_ = false;
  bool secure_cookies_ = false;
  std::vector<std::string> trusted_proxies_;
  std::size_t dashboard_min_group_ = 5;
  std::size_t min_respondents_ = 5;
  int dashboard_refresh_ = 60;
  std::optional<std::string> base_url_;
  std::string email_;
  std::string role_;
  bool password_stdin_ = false;
  std::optional<std::int64_t> agency_;
};

}  // namespace ita::cli

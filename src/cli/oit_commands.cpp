#include "cli/oit_commands.hpp"

#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <vector>

#include "core/thai.hpp"
#include "io/edition_registry.hpp"
#include "service/calendar.hpp"
#include "service/edition_catalog.hpp"
#include "service/oit_check.hpp"
#include "store/store.hpp"

namespace ita::cli {

OitCommands::OitCommands(CLI::App& app) {
  // `ita oit` may hold other commands registered before this one (ita oit index).
  CLI::App* oit = nullptr;
  try {
    oit = app.get_subcommand("oit");
  } catch (const CLI::OptionNotFound&) {
    oit = app.add_subcommand("oit", "OIT evidence");
  }
  oit->require_subcommand(1);
  check_ = oit->add_subcommand(
      "check", "Check the OIT evidence URLs of a round before the assessors do (readiness)");
  auto* which = check_->add_option_group("which", "The rounds to check");
  which->add_option("--round", round_id_, "The round's id (as in /rounds/ID)")
      ->check(CLI::PositiveNumber);
  which->add_flag("--all", all_, "Every round of the database (a national pre-check)");
  which->require_option(1);
  check_->add_option("--db", db_, "Database: a SQLite file path or postgresql://…")
      ->capture_default_str();
  check_->add_flag("--json", json_, "Print the results as JSON lines, one per item");
  check_->add_option("--rounds-at-once", rounds_at_once_, "--all: rounds checked at the same time")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  add_fetch_options(check_);

  fetch_ = oit->add_subcommand(
      "fetch", "Fetch URLs as the readiness check does; print one JSON line per URL");
  fetch_->add_option("URL", urls_, "URLs to fetch");
  fetch_->add_option("--urls", urls_file_, "A file of URLs, one a line")->check(CLI::ExistingFile);
  fetch_->add_option("--parallel", parallel_, "Connections at once in all")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  add_fetch_options(fetch_);
}

void OitCommands::add_fetch_options(CLI::App* cmd) {
  cmd->add_option("--timeout", timeout_seconds_, "Seconds per URL, redirects included")
      ->check(CLI::Range(1, 300))
      ->capture_default_str();
  cmd->add_option("--per-host", per_host_, "Connections at once to one web server")
      ->check(CLI::Range(1, 16))
      ->capture_default_str();
  cmd->add_flag("--allow-loopback", allow_loopback_,
                "TESTS ONLY: also fetch from this machine's loopback address");
  cmd->add_option("--ca-file", ca_file_, "A PEM certificate to trust besides the system's")
      ->check(CLI::ExistingFile);
}

bool OitCommands::chosen() const {
  return check_->parsed() || fetch_->parsed();
}

net::FetchOptions OitCommands::fetch_options() const {
  net::FetchOptions o;
  o.total_timeout = std::chrono::seconds(timeout_seconds_);
  o.per_host = per_host_;
  o.max_parallel = parallel_;
  if (allow_loopback_) o.allow_addresses = {"127.0.0.1", "::1"};
  o.extra_ca_file = ca_file_;
  return o;
}

namespace {

void print_check(std::ostream& out, const store::OitCheck& c, bool json_lines) {
  std::size_t fine = 0;
  for (const store::OitCheckResult& r : c.results) {
    fine += r.verdict == Readiness::LikelyFine;
    if (json_lines) {
      out << nlohmann::json{{"round", c.round_id},
                            {"check", c.id},
                            {"item", r.item},
                            {"verdict", readiness_code(r.verdict)},
                            {"reason_th", r.reason_th},
                            {"url", r.url},
                            {"http_status", r.http_status}}
                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
          << "\n";
    } else {
      out << r.item << "\t" << readiness_code(r.verdict) << "\t" << r.reason_th << "\n";
    }
  }
  if (json_lines) return;
  out << "round " << c.round_id << ": " << fine << " of " << c.results.size()
      << " items likely fine; predicted OIT " << format_number(c.predicted_oit.value_or(0), 2);
  if (c.predicted_total) out << ", predicted total " << format_number(*c.predicted_total, 2);
  out << " (check " << c.id << ")\n";
}

}  // namespace

int OitCommands::run(std::ostream& out, std::ostream& err) {
  return fetch_->parsed() ? fetch(out, err) : check(out, err);
}

int OitCommands::fetch(std::ostream& out, std::ostream& err) {
  std::vector<std::string> urls = urls_;
  if (!urls_file_.empty()) {
    std::ifstream in(urls_file_);
    for (std::string line; std::getline(in, line);) {
      while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())))
        line.pop_back();
      if (!line.empty()) urls.push_back(line);
    }
  }
  if (urls.empty()) {
    err << "ita: error: no URL given (URL arguments or --urls FILE)\n";
    return 2;
  }
  for (const net::FetchResult& r : net::fetch_all(urls, fetch_options())) {
    out << nlohmann::json{{"url", r.url},
                          {"error", net::fetch_error_code(r.error)},
                          {"detail", r.detail},
                          {"status", r.status},
                          {"final_url", r.final_url},
                          {"content_type", r.content_type},
                          {"bytes", r.body.size()},
                          {"ms", r.elapsed.count()}}
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
        << "\n";
  }
  return 0;
}

int OitCommands::check(std::ostream& out, std::ostream& err) {
  auto store = store::open_store(db_, {.must_exist = true});
  service::EditionCatalog catalog(*store, io::EditionSet::builtin());
  service::OitCheckSettings settings;
  settings.fetch = fetch_options();
  if (round_id_) {
    const std::int64_t check =
        service::begin_oit_check(*store, *round_id_, std::nullopt, service::unix_now());
    print_check(out,
                service::run_oit_check(*store, catalog, check, *round_id_, std::nullopt, settings),
                json_);
    return 0;
  }
  std::vector<std::int64_t> ids;
  for (const store::Round& r : store->rounds()) ids.push_back(r.id);
  std::size_t failed = 0;
  const auto started = std::chrono::steady_clock::now();
  const std::size_t checked = service::check_rounds(
      *store, catalog, ids, settings, static_cast<std::size_t>(rounds_at_once_),
      [&](const service::RoundCheckOutcome& o) {
        if (o.check) {
          print_check(out, *o.check, json_);
        } else {
          ++failed;
          err << "ita: round " << o.round_id << " not checked: " << o.error << "\n";
        }
      });
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  err << "ita: checked " << checked << " of " << ids.size() << " rounds in " << seconds << " s\n";
  return failed > 0 ? 2 : 0;
}

}  // namespace ita::cli

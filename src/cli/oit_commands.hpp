#pragma once
// `ita oit check`: the OIT readiness check (service/oit_check.hpp) from the command line, for one
// round or, with --all, every round of a deployment, several rounds at once
// (service::check_rounds), each round's URLs fetched concurrently within the net layer's per-host
// limit. The results are stored as each round's check history, as from the web's button. `ita oit
// fetch` fetches a list of URLs with the same fetcher and prints what each gave: for support ("why
// does this link fail?") and for the benchmark against curl.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "net/fetch.hpp"

namespace ita::cli {

class OitCommands {
 public:
  explicit OitCommands(CLI::App& app);
  bool chosen() const;
  // Runs the checks, printing each item's verdict and reason and the predicted scores (--all:
  // one line per round) to `out`, and what --all could not check to `err`. 0 when every check
  // ran (whatever the verdicts), 2 when a round of --all could not be checked. The store's errors
  // (a missing database) and service::Error (an unknown round) propagate to cli::run: exit 2.
  int run(std::ostream& out, std::ostream& err);

 private:
  int check(std::ostream& out, std::ostream& err);
  int fetch(std::ostream& out, std::ostream& err);
  net::FetchOptions fetch_options() const;
  void add_fetch_options(CLI::App* cmd);

  CLI::App* check_ = nullptr;
  CLI::App* fetch_ = nullptr;
  std::vector<std::string> urls_;
  std::string urls_file_;
  int parallel_ = 16;
  int rounds_at_once_ = 8;
  std::optional<std::int64_t> round_id_;
  bool all_ = false;
  bool json_ = false;
  std::string db_ = "var/openita.sqlite";
  int timeout_seconds_ = 20;
  int per_host_ = 4;
  bool allow_loopback_ = false;
  std::string ca_file_;
};

}  // namespace ita::cli

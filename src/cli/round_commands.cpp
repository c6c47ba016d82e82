#include "cli/round_commands.hpp"

#include <ostream>

#include "service/calendar.hpp"
#include "service/rounds.hpp"
#include "store/store.hpp"

namespace ita::cli {

namespace {

void add_round_options(CLI::App* cmd, std::int64_t& round_id, std::string& db) {
  cmd->add_option("ID", round_id, "The round's id (as in /rounds/ID)")
      ->required()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--db", db, "Database: a SQLite file path or postgresql://…")
      ->capture_default_str();
}

}  // namespace

RoundCommands::RoundCommands(CLI::App& app) {
  auto* round = app.add_subcommand("round", "Assessment rounds");
  round->require_subcommand(1);
  close_ = round->add_subcommand("close", "Close a round: its surveys accept no more responses");
  add_round_options(close_, round_id_, db_);
  reopen_ = round->add_subcommand("reopen", "Open a closed round again (an administrator's step)");
  add_round_options(reopen_, round_id_, db_);
}

bool RoundCommands::chosen() const {
  return close_->parsed() || reopen_->parsed();
}

int RoundCommands::run(std::ostream& out) {
  auto store = store::open_store(db_, {.must_exist = true});
  const auto today = service::thai_today();
  if (close_->parsed()) {
    service::close_round(*store, round_id_, std::nullopt, today);
    out << "round " << round_id_ << " closed\n";
  } else {
    service::reopen_round(*store, round_id_, std::nullopt, today);
    out << "round " << round_id_ << " reopened\n";
  }
  return 0;
}

}  // namespace ita::cli

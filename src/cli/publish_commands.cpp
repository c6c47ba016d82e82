#include "cli/publish_commands.hpp"

#include <filesystem>
#include <ostream>

#include "io/atomic_file.hpp"
#include "io/edition_registry.hpp"
#include "report/oit_index.hpp"
#include "service/agencies.hpp"
#include "service/calendar.hpp"
#include "service/edition_catalog.hpp"
#include "service/oit_index.hpp"
#include "store/store.hpp"

namespace ita::cli {

namespace {

void add_db_option(CLI::App* cmd, std::string& db) {
  cmd->add_option("--db", db, "Database: a SQLite file path or postgresql://…")
      ->capture_default_str();
}

}  // namespace

PublishCommands::PublishCommands(CLI::App& app) {
  auto* agency = app.add_subcommand("agency", "Agencies");
  agency->require_subcommand(1);
  add_ = agency->add_subcommand("add", "Add an agency (audited)");
  add_->add_option("NAME", name_, "The agency's name, e.g. เทศบาลตำบลแม่สาย")->required();
  add_->add_option("--type", type_, "e.g. เทศบาลตำบล");
  add_->add_option("--district", district_, "อำเภอ");
  add_->add_option("--province", province_, "จังหวัด: one of the 77, written in full");
  add_->add_option("--website", website_, "The agency's own website: an http(s) URL");
  add_db_option(add_, db_);
  set_website_ = agency->add_subcommand(
      "set-website", "Set an agency's own website (an http(s) URL; \"\" removes it; audited)");
  set_website_->add_option("--agency", agency_id_, "The agency's id (as in /agencies/ID)")
      ->required()
      ->check(CLI::PositiveNumber);
  set_website_->add_option("--website", website_, "The URL, e.g. https://www.example.go.th")
      ->required();
  add_db_option(set_website_, db_);

  CLI::App* oit = nullptr;  // `ita oit` may exist already (cli/oit_commands.hpp)
  for (CLI::App* sub : app.get_subcommands([](CLI::App* a) { return a->get_name() == "oit"; }))
    oit = sub;
  if (!oit) oit = app.add_subcommand("oit", "OIT evidence");
  index_ = oit->add_subcommand(
      "index", "Write a round's public OIT index (index.html, index.json) for the agency's site");
  index_->add_option("--round", round_id_, "The round's id (as in /rounds/ID)")
      ->required()
      ->check(CLI::PositiveNumber);
  index_->add_option("--out", out_dir_, "The folder to write index.html and index.json into")
      ->required();
  add_db_option(index_, db_);
}

bool PublishCommands::chosen() const {
  return add_->parsed() || set_website_->parsed() || index_->parsed();
}

int PublishCommands::run(std::ostream& out, std::ostream& err) {
  try {
    if (add_->parsed()) return add_agency(out);
    if (set_website_->parsed()) return set_website(out);
    return write_index(out);
  } catch (const std::filesystem::filesystem_error& e) {
    err << "ita: error: " << e.what() << "\n";
  }
  return 2;
}

int PublishCommands::add_agency(std::ostream& out) {
  auto store = store::open_store(db_, {.must_exist = true});
  const store::Agency a{0, name_, district_, province_, type_, website_};
  const store::Agency created = service::create_agency(*store, a, std::nullopt);
  out << "agency " << created.id << " added\n";
  return 0;
}

int PublishCommands::set_website(std::ostream& out) {
  auto store = store::open_store(db_, {.must_exist = true});
  const store::Agency a = service::set_agency_website(*store, agency_id_, website_, std::nullopt);
  out << "agency " << a.id << " website: " << (a.website.empty() ? "(none)" : a.website) << "\n";
  return 0;
}

int PublishCommands::write_index(std::ostream& out) {
  auto store = store::open_store(db_, {.must_exist = true});
  service::EditionCatalog catalog(*store, io::EditionSet::builtin());
  const OitIndex index =
      service::oit_index_of_round(*store, catalog, round_id_, service::thai_today());
  const std::filesystem::path dir(out_dir_);
  std::filesystem::create_directories(dir);
  const std::string html = (dir / "index.html").string(), json = (dir / "index.json").string();
  io::write_file_atomically(html, report::oit_index_document(index));
  io::write_file_atomically(json, service::oit_index_json(index));
  out << "wrote " << html << " and " << json << " (" << index.items.size() << " OIT items)\n";
  return 0;
}

}  // namespace ita::cli

// The composition root: the one place that sees both cli and web. The command line runs here,
// with `ita serve` wired to a web::App behind a web::Server.
#include <chrono>
#include <iostream>
#include <ostream>

#include "cli/app.hpp"
#include "io/edition_registry.hpp"
#include "web/app.hpp"
#include "web/demo.hpp"
#include "web/server.hpp"

namespace {

int serve(ita::store::Store& store, const ita::cli::ServeOptions& o, std::ostream& out) {
  using namespace ita;
  const io::EditionSet editions = io::EditionSet::builtin();
  web::AppOptions options;
  options.base_url = o.base_url;
  options.db_url = o.db;
  options.secure_cookies = o.secure_cookies;
  options.trusted_proxies = o.trusted_proxies;
  options.dashboard_min_group = o.dashboard_min_group;
  options.dashboard_refresh_seconds = o.dashboard_refresh;
  options.min_respondents = o.min_respondents;
  options.survey_rate_per_minute = o.survey_rate;
  options.survey_burst = o.survey_burst;
  options.writer.mix_interval = std::chrono::seconds(o.mix_interval);
  options.oit_check = o.oit_check;
  web::App app(store, editions, options);
  web::Server server({o.address, static_cast<unsigned short>(o.port), o.threads},
                     [&app](web::Request& r) { return app.handle(r); });
  server.listen();
  out << "OpenITA is serving " << o.base_url << "  (database: " << o.db << ")\n";
  if (o.demo) {
    const auto demo = web::load_demo(store, editions);
    out << (demo.created ? "Demo agency loaded: " : "Demo agency present: ")
        << "เทศบาลตำบลแม่สายมิตรภาพ, round " << demo.round_id << "\n";
    out << "Demo logins (password for all: "
        << (demo.logins.empty() ? "" : demo.logins.front().password) << "):\n";
    for (const auto& l : demo.logins) out << "  " << l.role << "\t" << l.email << "\n";
    out << "Public surveys (no login):\n  IIT " << o.base_url << "/s/" << demo.iit_link_token
        << "\n  EIT " << o.base_url << "/s/" << demo.eit_link_token << "\n";
  }
  out << "Press Ctrl-C to stop." << std::endl;
  server.run(true);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return ita::cli::run(argc, argv, std::cout, std::cerr, ita::cli::Hooks{serve});
}

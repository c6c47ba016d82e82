// The HTTP request path: raw bytes → Beast's parser → the application's router and handlers →
// a serialised response, on a SQLite store with the demo agency loaded. A 500 is a finding too:
// bad input must be a 4xx.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "io/edition_registry.hpp"
#include "store/store.hpp"
#include "web/app.hpp"
#include "web/demo.hpp"
#include "web/server.hpp"

namespace {

struct World {
  ita::io::EditionSet editions = ita::io::EditionSet::builtin();
  std::unique_ptr<ita::store::Store> store;
  std::unique_ptr<ita::web::App> app;
};

World& world() {
  static World* w = [] {
    auto* nw = new World;
    const auto path = std::filesystem::temp_directory_path() /
                      ("ita-fuzz-http-" + std::to_string(::getpid()) + ".sqlite");
    std::filesystem::remove(path);
    nw->store = ita::store::open_store(path.string());
    ita::web::load_demo(*nw->store, nw->editions);
    nw->app = std::make_unique<ita::web::App>(
        *nw->store, nw->editions, ita::web::AppOptions{.base_url = "http://127.0.0.1:1"});
    return nw;
  }();
  return *w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  World& w = world();
  const std::string out = ita::web::handle_raw_request(
      std::string_view(reinterpret_cast<const char*>(data), size),
      [&](ita::web::Request& r) { return w.app->handle(r); }, 64 * 1024);
  if (out.starts_with("HTTP/1.1 500") || out.starts_with("HTTP/1.0 500")) __builtin_trap();
  return 0;
}

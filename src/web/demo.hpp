#pragma once
// The demo agency of `make run`: the seed's municipality, its users and one assessment round
// with synthetic anonymous answers and reviewed OIT evidence. Loading twice changes nothing.
#include <string>
#include <vector>

#include "io/edition_registry.hpp"
#include "store/store.hpp"

namespace ita::web {

struct DemoLogin {
  std::string email;
  std::string role;
  std::string password;
};

struct DemoInfo {
  bool created = false;
  std::int64_t round_id = 0;
  std::string iit_link_token;
  std::string eit_link_token;
  std::vector<DemoLogin> logins;
};

DemoInfo load_demo(store::Store& store, const io::EditionSet& editions);

}  // namespace ita::web

#pragma once
// Data and templates compiled into the binary (data/measures-library.json, templates/*).
#include <map>
#include <string>
#include <string_view>

namespace ita::report {

// File name ("document-th.json") → content. Generated at build time (cmake/Embed.cmake).
const std::map<std::string, std::string>& embedded_resources();

// The content of the embedded file `name`; std::logic_error if it was not embedded.
const std::string& resource(std::string_view name);

}  // namespace ita::report

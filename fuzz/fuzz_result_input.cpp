// The result-input JSON, parsed and, when it names a built-in edition, scored and graded.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "core/scoring.hpp"
#include "io/edition_registry.hpp"
#include "io/json_error.hpp"
#include "io/result_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ita::io::EditionSet editions = ita::io::EditionSet::builtin();
  try {
    const auto in = ita::io::parse_result_input(
        std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
    if (const ita::Edition* e = editions.find(in.edition); e != nullptr && !in.answers_file) {
      const ita::Result r = ita::score(*e, in.given);
      (void)r.total;
    }
  } catch (const ita::io::FileError&) {
  } catch (const ita::InputError&) {
  }
  return 0;
}

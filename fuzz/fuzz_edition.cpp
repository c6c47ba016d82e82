// The edition loader: any bytes either parse into an edition that passed its checks or fail
// with FileError/InputError. Anything else (another exception, a crash, UB) is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "io/edition_json.hpp"
#include "io/json_error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const ita::Edition e = ita::io::parse_edition(
        std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
    (void)e.find_answer_unit("I1");
  } catch (const ita::io::FileError&) {
  } catch (const ita::InputError&) {
  }
  return 0;
}

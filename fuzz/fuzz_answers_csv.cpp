// The raw-answers CSV importer into a tally of edition 2564, then scored when complete.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "core/error.hpp"
#include "core/scoring.hpp"
#include "io/answers_csv.hpp"
#include "io/edition_registry.hpp"
#include "io/json_error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ita::io::EditionSet editions = ita::io::EditionSet::builtin();
  const ita::Edition& e = editions.get("2564");
  ita::AnswerTally tally(e);
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    ita::io::read_answers_csv(in, "fuzz.csv", tally);
    const ita::Result r = ita::score(e, tally);
    (void)r.total;
  } catch (const ita::io::FileError&) {
  } catch (const ita::InputError&) {
  }
  return 0;
}

#pragma once
// The `ita` command line. Exit codes: 0 ok; 1 audit found contradictions; 2 bad input or usage;
// 3 internal error.
#include <iosfwd>

namespace ita::cli {

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace ita::cli

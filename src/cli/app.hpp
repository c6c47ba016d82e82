#pragma once
// The `ita` command line. Exit codes: 0 ok; 1 audit found contradictions; 2 bad input or usage;
// 3 internal error.
#include <iosfwd>

#include "cli/web_commands.hpp"

namespace ita::cli {

// What the command line cannot do by itself and src/main.cpp (the composition root) provides.
struct Hooks {
  ServeFn serve;  // `ita serve`; without it, `ita serve` exits 2 saying so
};

// Runs the command `argv` and returns its exit code. A service::Error (src/service) becomes
// "ita: error: MESSAGE" on `err` and exit code 2.
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
        const Hooks& hooks = {});

}  // namespace ita::cli

#pragma once
// Runs the real `ita` binary (ITA_BINARY, defined by the test target) through the shell.
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace ita::testing {

struct CmdRun {
  int code = -1;
  std::string out;
  std::string err;
};

// `ita ARGS`: its exit code, standard output, and standard error (through a temporary file).
inline CmdRun run_ita(const std::string& args) {
  static std::atomic<int> counter{0};
  const std::filesystem::path err =
      std::filesystem::temp_directory_path() /
      ("ita-cli-err-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  const std::string cmd = std::string(ITA_BINARY) + " " + args + " 2>" + err.string();
  CmdRun r;
  FILE* p = ::popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream e(err);
  r.err.assign(std::istreambuf_iterator<char>(e), {});
  std::filesystem::remove(err);
  return r;
}

}  // namespace ita::testing

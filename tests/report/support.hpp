#pragma once
// Helpers of the report tests: fixtures, temporary folders, external tools.
#include <filesystem>
#include <string>

namespace ita::report::test {

// A path under the source tree, e.g. source("tests/fixtures/seed-2566-indicators.json").
std::string source(const std::string& relative);

// A fresh temporary folder, removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

void write_text(const std::string& path, const std::string& text);
std::string read_text(const std::string& path);

// Runs a shell command; returns its standard output. Sets `status` to the exit status.
std::string run(const std::string& command, int* status = nullptr);
bool have_tool(const std::string& name);

// `s` without any whitespace (pdftotext puts spaces inside Thai words).
std::string squeeze(const std::string& s);

}  // namespace ita::report::test

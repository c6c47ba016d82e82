#pragma once
// Validates JSON text against a JSON Schema 2020-12 file with python3-jsonschema (the validator
// tests/web/check_openapi.py uses): "" when it is valid, else the validator's problems.
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace ita::testing {

inline std::string schema_problems(const std::string& schema_path, const std::string& json_text) {
  static std::atomic<int> counter{0};
  const auto dir = std::filesystem::temp_directory_path() /
                   ("ita-schema-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "instance.json") << json_text;
  const std::string command =
      "python3 -c 'import json, sys\n"
      "from jsonschema import Draft202012Validator as V\n"
      "v = V(json.load(open(sys.argv[1], encoding=\"utf-8\")))\n"
      "errors = [\"/\".join(map(str, e.absolute_path)) + \": \" + e.message\n"
      "          for e in v.iter_errors(json.load(open(sys.argv[2], encoding=\"utf-8\")))]\n"
      "print(\"\\n\".join(errors)); sys.exit(1 if errors else 0)' " +
      schema_path + " " + (dir / "instance.json").string() + " > " + (dir / "out.txt").string() +
      " 2>&1";
  const int rc = std::system(command.c_str());
  std::ifstream in(dir / "out.txt");
  std::string out{std::istreambuf_iterator<char>(in), {}};
  std::filesystem::remove_all(dir);
  if (rc == 0) return "";
  return out.empty() ? "the validator failed to run" : out;
}

// The schema of "ita-oit-index/1" in the source tree.
inline std::string oit_index_schema() {
  return std::string(ITA_SOURCE_DIR) + "/docs/schemas/ita-oit-index-1.schema.json";
}

}  // namespace ita::testing

#pragma once
// Errors about files: which file, where in it (line, or JSON field path) and what was expected.
#include <cstddef>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ita::io {

class FileError : public std::runtime_error {
 public:
  FileError(std::string file, std::string where, const std::string& message);
  const std::string& file() const noexcept { return file_; }
  const std::string& where() const noexcept { return where_; }

 private:
  std::string file_;
  std::string where_;
};

// "line 3, column 7" for a byte offset into `text`.
std::string line_column(std::string_view text, std::size_t offset);

// Parses JSON text, turning a syntax error into a FileError with line and column.
nlohmann::json parse_json(std::string_view text, const std::string& file);

// Reads a whole file; FileError when it cannot be read.
std::string read_file(const std::string& path);

// Typed access to JSON fields with errors naming the field path (e.g. "/iit/items/3/code").
class JsonFields {
 public:
  explicit JsonFields(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& path, const std::string& message) const;
  const nlohmann::json& member(const nlohmann::json& obj, const std::string& path,
                               const char* key) const;
  const nlohmann::json* optional(const nlohmann::json& obj, const char* key) const;
  const nlohmann::json& object(const nlohmann::json& j, const std::string& path) const;
  const nlohmann::json& array(const nlohmann::json& j, const std::string& path) const;
  std::string string(const nlohmann::json& obj, const std::string& path, const char* key) const;
  std::string string_or(const nlohmann::json& obj, const std::string& path, const char* key,
                        std::string fallback) const;
  double number(const nlohmann::json& j, const std::string& path) const;
  int integer(const nlohmann::json& j, const std::string& path) const;
  bool boolean_or(const nlohmann::json& obj, const std::string& path, const char* key,
                  bool fallback) const;
  // Fails (FileError at path/key) on the first member of the object `obj` whose key is not in
  // `allowed`: 'unknown field "x"; expected one of: a, b'. A misspelt optional field would
  // otherwise be dropped without a word. Leaves `obj` unchanged; fails too if it is no object.
  void only_fields(const nlohmann::json& obj, const std::string& path,
                   std::initializer_list<const char*> allowed) const;
  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

}  // namespace ita::io

#include "io/json_error.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

namespace ita::io {

FileError::FileError(std::string file, std::string where, const std::string& message)
    : std::runtime_error(file + (where.empty() ? "" : ": " + where) + ": " + message),
      file_(std::move(file)),
      where_(std::move(where)) {}

std::string line_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++col;  // count characters, not UTF-8 continuation bytes
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

nlohmann::json parse_json(std::string_view text, const std::string& file) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    std::string what = e.what();
    if (auto p = what.find("syntax error"); p != std::string::npos) what = what.substr(p);
    throw FileError(file, line_column(text, e.byte == 0 ? 0 : e.byte - 1), "invalid JSON: " + what);
  } catch (const nlohmann::json::exception& e) {
    // Not a syntax error but a value the parser refuses, e.g. a number too large for a double.
    std::string what = e.what();
    if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    throw FileError(file, "", "invalid JSON: " + what);
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileError(path, "", "cannot open the file for reading");
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) throw FileError(path, "", "error while reading the file");
  return s.str();
}

void JsonFields::fail(const std::string& path, const std::string& message) const {
  throw FileError(file_, path.empty() ? "/" : path, message);
}

const nlohmann::json& JsonFields::member(const nlohmann::json& obj, const std::string& path,
                                         const char* key) const {
  object(obj, path);
  auto it = obj.find(key);
  if (it == obj.end()) fail(path + "/" + key, "missing required field");
  return *it;
}

const nlohmann::json* JsonFields::optional(const nlohmann::json& obj, const char* key) const {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

const nlohmann::json& JsonFields::object(const nlohmann::json& j, const std::string& path) const {
  if (!j.is_object()) fail(path, std::string("expected an object, found ") + j.type_name());
  return j;
}

const nlohmann::json& JsonFields::array(const nlohmann::json& j, const std::string& path) const {
  if (!j.is_array()) fail(path, std::string("expected an array, found ") + j.type_name());
  return j;
}

std::string JsonFields::string(const nlohmann::json& obj, const std::string& path,
                               const char* key) const {
  const auto& v = member(obj, path, key);
  if (!v.is_string())
    fail(path + "/" + key, std::string("expected a string, found ") + v.type_name());
  return v.get<std::string>();
}

std::string JsonFields::string_or(const nlohmann::json& obj, const std::string& path,
                                  const char* key, std::string fallback) const {
  const auto* v = optional(obj, key);
  if (v == nullptr) return fallback;
  if (!v->is_string())
    fail(path + "/" + key, std::string("expected a string, found ") + v->type_name());
  return v->get<std::string>();
}

double JsonFields::number(const nlohmann::json& j, const std::string& path) const {
  if (!j.is_number()) fail(path, std::string("expected a number, found ") + j.type_name());
  return j.get<double>();
}

int JsonFields::integer(const nlohmann::json& j, const std::string& path) const {
  const double d = number(j, path);
  if (std::floor(d) != d || std::abs(d) > 1e9) fail(path, "expected a whole number");
  return static_cast<int>(d);
}

bool JsonFields::boolean_or(const nlohmann::json& obj, const std::string& path, const char* key,
                            bool fallback) const {
  const auto* v = optional(obj, key);
  if (v == nullptr) return fallback;
  if (!v->is_boolean())
    fail(path + "/" + key, std::string("expected true or false, found ") + v->type_name());
  return v->get<bool>();
}

void JsonFields::only_fields(const nlohmann::json& obj, const std::string& path,
                             std::initializer_list<const char*> allowed) const {
  object(obj, path);
  for (const auto& [key, value] : obj.items()) {
    bool known = false;
    for (const char* a : allowed) known = known || key == a;
    if (known) continue;
    std::string list;
    for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + a;
    fail(path + "/" + key, "unknown field \"" + key + "\"; expected one of: " + list);
  }
}

}  // namespace ita::io

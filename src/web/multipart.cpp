#include "web/multipart.hpp"

#include <string_view>

#include "web/context.hpp"

namespace ita::web {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  const auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

// The value of parameter `name` in a header such as `form-data; name="file"; filename="a.xlsx"`.
std::string header_param(std::string_view header, std::string_view name) {
  std::size_t pos = 0;
  while ((pos = header.find(';', pos)) != std::string_view::npos) {
    ++pos;
    const auto eq = header.find('=', pos);
    if (eq == std::string_view::npos) break;
    if (lower(trim(header.substr(pos, eq - pos))) != name) continue;
    std::string_view v = header.substr(eq + 1);
    v.remove_prefix(std::min(v.find_first_not_of(' '), v.size()));
    if (!v.empty() && v.front() == '"') {
      const auto close = v.find('"', 1);
      return std::string(v.substr(1, close == std::string_view::npos ? v.npos : close - 1));
    }
    return trim(v.substr(0, v.find(';')));
  }
  return "";
}

void fail(const std::string& why) {
  throw HttpError(400, "แบบฟอร์มที่ส่งมาไม่ถูกต้อง (" + why + ")");
}

}  // namespace

std::map<std::string, FormPart> parse_multipart(const Request& r) {
  const std::string type = r.header("content-type");
  if (!lower(type).starts_with("multipart/form-data")) fail("expected multipart/form-data");
  const std::string boundary = header_param(type, "boundary");
  if (boundary.empty() || boundary.size() > 200) fail("multipart/form-data without a boundary");
  const std::string delimiter = "--" + boundary;
  std::string_view body = r.body;
  std::size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos) fail("the body has no part");
  std::map<std::string, FormPart> parts;
  for (;;) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return parts;  // the closing delimiter
    if (body.substr(pos, 2) != "\r\n") fail("a boundary line is malformed");
    pos += 2;
    const auto head_end = body.find("\r\n\r\n", pos);
    if (head_end == std::string_view::npos) fail("a part has no end of headers");
    std::string name, filename, content_type;
    std::string_view headers = body.substr(pos, head_end - pos);
    while (!headers.empty()) {
      const auto eol = headers.find("\r\n");
      const std::string_view line = headers.substr(0, eol);
      headers.remove_prefix(eol == std::string_view::npos ? headers.size() : eol + 2);
      const auto colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      const std::string key = lower(trim(line.substr(0, colon)));
      if (key == "content-disposition") {
        name = header_param(line, "name");
        filename = header_param(line, "filename");
      } else if (key == "content-type") {
        content_type = trim(line.substr(colon + 1));
      }
    }
    const std::size_t data_begin = head_end + 4;
    const auto next = body.find("\r\n" + delimiter, data_begin);
    if (next == std::string_view::npos) fail("the body ends before its closing boundary");
    if (name.empty()) fail("a part has no name");
    parts.try_emplace(name, FormPart{filename, content_type,
                                     std::string(body.substr(data_begin, next - data_begin))});
    pos = next + 2;
  }
}

}  // namespace ita::web

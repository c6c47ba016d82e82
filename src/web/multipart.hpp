#pragma once
// multipart/form-data bodies (RFC 7578): what a browser sends for a form with a file input.
#include <map>
#include <string>

#include "web/http.hpp"

namespace ita::web {

struct FormPart {
  std::string filename;  // empty for a plain field
  std::string content_type;
  std::string data;
};

// The parts of `r`'s multipart/form-data body by field name (a repeated name keeps the first).
// Throws HttpError 400 naming what is malformed: another content type, no boundary, a part
// without a name, or a body that ends before its closing boundary.
std::map<std::string, FormPart> parse_multipart(const Request& r);

}  // namespace ita::web

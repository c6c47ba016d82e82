#pragma once
// A minimal blocking HTTP/1.1 client for tests on loopback (one request per connection).
#include <map>
#include <string>

namespace ita::testing {

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names; Set-Cookie values joined by "\n"
  std::string body;
};

HttpResponse http(unsigned short port, const std::string& method, const std::string& target,
                  const std::string& body = "",
                  const std::map<std::string, std::string>& headers = {});

// "name=value" of a Set-Cookie header, or "".
std::string cookie_from(const HttpResponse& r, const std::string& name);

}  // namespace ita::testing

#pragma once
// A minimal blocking HTTP/1.1 client for tests on loopback (one request per connection).
#include <chrono>
#include <map>
#include <string>

namespace ita::testing {

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names; Set-Cookie values joined by "\n"
  std::string body;
};

// A blocking TCP connection to 127.0.0.1:`port` whose reads give up after `receive_timeout`
// (zero: never): its socket, which the caller closes, or -1 when nothing accepts it.
int connect_loopback(unsigned short port,
                     std::chrono::milliseconds receive_timeout = std::chrono::seconds(5));

// One request on a connection of its own, read to the server's close. Throws std::runtime_error
// when nothing accepts the connection or the reply is not HTTP.
HttpResponse http(unsigned short port, const std::string& method, const std::string& target,
                  const std::string& body = "",
                  const std::map<std::string, std::string>& headers = {});

// "name=value" of a Set-Cookie header, or "".
std::string cookie_from(const HttpResponse& r, const std::string& name);

}  // namespace ita::testing

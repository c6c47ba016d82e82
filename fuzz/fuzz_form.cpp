// The URL/form decoders and the cookie and header helpers of a request.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "web/http.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view s(reinterpret_cast<const char*>(data), size);
  (void)ita::web::url_decode(s, true);
  (void)ita::web::url_decode(s, false);
  const auto fields = ita::web::parse_urlencoded(s);
  for (const auto& [k, v] : fields) {
    // Encoding then decoding gives the value back.
    if (ita::web::url_decode(ita::web::url_encode(v), false) != v) __builtin_trap();
  }
  (void)ita::web::html_escape(s);
  ita::web::Request r;
  r.headers["content-type"] = "application/x-www-form-urlencoded";
  r.headers["cookie"] = std::string(s);
  r.headers["accept"] = std::string(s);
  r.body = std::string(s);
  (void)r.form();
  (void)r.cookie("ita_session");
  (void)r.wants_json();
  return 0;
}

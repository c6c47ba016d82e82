#include "report/fonts.hpp"

#include <pango/pangocairo.h>

#include <cstdlib>

namespace ita::report {

void release_fonts_at_exit() {
  static const bool registered = [] {
    // Not FcFini(): it asserts (and aborts the process at exit) when any fontconfig cache is
    // still referenced, which happened when another process (Chromium in the browser tests)
    // rewrote the font caches meanwhile. What fontconfig keeps until exit is left to the leak
    // checker's suppression below.
    std::atexit([] { pango_cairo_font_map_set_default(nullptr); });
    return true;
  }();
  (void)registered;
}

}  // namespace ita::report

#if defined(__SANITIZE_ADDRESS__)  // GCC; clang says so with __has_feature
#define ITA_LEAK_CHECKED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ITA_LEAK_CHECKED 1
#endif
#endif

#if defined(ITA_LEAK_CHECKED)
// Read by LeakSanitizer (the sanitised test build) at exit: fontconfig's caches live until the
// process ends by design, and the suppression's statistics would otherwise be printed on stderr,
// which the CLI tests compare.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libfontconfig.so\n";
}
extern "C" const char* __lsan_default_options() {
  return "print_suppressions=0";
}
#endif

#include "report/fonts.hpp"

#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

#include <cstdlib>

namespace ita::report {

void release_fonts_at_exit() {
  static const bool registered = [] {
    std::atexit([] {
      pango_cairo_font_map_set_default(nullptr);
      FcFini();
    });
    return true;
  }();
  (void)registered;
}

}  // namespace ita::report

#pragma once

namespace ita::report {

// Registers (once) an exit handler that releases pango's default font map, so a leak checker (the
// ASan test build) sees a clean exit; fontconfig's own caches are suppressed there (fonts.cpp).
// Call before using pango.
void release_fonts_at_exit();

}  // namespace ita::report

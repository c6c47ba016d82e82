#pragma once
// Server-rendered pages: mustache templates (embedded at build time) filled from JSON view
// models. Every {{value}} is HTML-escaped by the template engine; only SVG the server drew
// itself goes through {{{…}}}.
#include <nlohmann/json.hpp>
#include <string>

namespace ita::web {

// Renders templates/NAME.mustache with `model`, inside the layout (model's "title", "user",
// "flash", "errors" are used by the layout).
std::string render_page(const std::string& name, const nlohmann::json& model);
// Renders templates/NAME.mustache alone, without the layout.
std::string render_fragment(const std::string& name, const nlohmann::json& model);
// The layout around `content` (HTML rendered before, e.g. by render_fragment), with the model's
// "title", "user", "flash" and "errors".
std::string render_layout(const nlohmann::json& model, const std::string& content);

// The raw bytes of an embedded static file (style.css), or nullptr.
const std::string* static_file(const std::string& name);

// An SVG QR code of `text` (libqrencode), and the same as PNG bytes.
std::string qr_svg(const std::string& text);
std::string qr_png(const std::string& text);
// The QR code of `text` as an SVG <symbol> with id `id`, inside a hidden <svg>: drawn once on a
// page and shown by each `<svg><use href="#id"/></svg>` (the access-code slips).
std::string qr_svg_symbol(const std::string& text, const std::string& id);

}  // namespace ita::web

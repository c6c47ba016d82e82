#include "web/views.hpp"

#include <cairo.h>
#include <qrencode.h>

#include <kainjow/mustache.hpp>
#include <map>
#include <memory>
#include <stdexcept>
#include <utility>

namespace ita::web {

const std::map<std::string, std::string>& embedded_web_files();  // generated

namespace {

namespace mst = kainjow::mustache;

mst::data to_data(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      mst::data d{mst::data::type::object};
      for (const auto& [k, v] : j.items()) d.set(k, to_data(v));
      return d;
    }
    case nlohmann::json::value_t::array: {
      mst::data d{mst::data::type::list};
      for (const auto& v : j) d.push_back(to_data(v));
      return d;
    }
    case nlohmann::json::value_t::boolean:
      return mst::data{j.get<bool>()};
    case nlohmann::json::value_t::null:
      return mst::data{false};
    case nlohmann::json::value_t::string:
      return mst::data{j.get<std::string>()};
    default:
      return mst::data{j.dump()};
  }
}

const std::string& template_text(const std::string& name) {
  const auto& files = embedded_web_files();
  auto it = files.find(name + ".mustache");
  if (it == files.end()) throw std::logic_error("no template " + name);
  return it->second;
}

// A template parsed once per thread: parsing costs more than rendering most pages, and a
// thread's own copy needs no lock (mustache::render keeps state in the object).
mst::mustache& parsed(const std::string& name) {
  thread_local std::map<std::string, std::unique_ptr<mst::mustache>, std::less<>> templates;
  auto it = templates.find(name);
  if (it == templates.end()) {
    auto tmpl = std::make_unique<mst::mustache>(template_text(name));
    if (!tmpl->is_valid())
      throw std::logic_error("template " + name + ": " + tmpl->error_message());
    it = templates.emplace(name, std::move(tmpl)).first;
  }
  return *it->second;
}

std::string render(const std::string& name, const mst::data& d) {
  return parsed(name).render(d);
}

// A page's model as template data, with what the layout derives from it.
mst::data page_data(const nlohmann::json& model) {
  mst::data d = to_data(model);
  d.set("has_errors", model.contains("errors") && !model["errors"].empty());
  return d;
}

std::unique_ptr<QRcode, decltype(&QRcode_free)> encode(const std::string& text) {
  QRcode* q = QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M);
  if (q == nullptr) throw std::runtime_error("cannot make a QR code for " + text);
  return {q, &QRcode_free};
}

}  // namespace

std::string render_page(const std::string& name, const nlohmann::json& model) {
  mst::data d = page_data(model);
  d.set("content", render(name, d));
  return render("layout", d);
}

std::string render_fragment(const std::string& name, const nlohmann::json& model) {
  return render(name, to_data(model));
}

std::string render_layout(const nlohmann::json& model, const std::string& content) {
  mst::data d = page_data(model);
  d.set("content", content);
  return render("layout", d);
}

const std::string* static_file(const std::string& name) {
  const auto& files = embedded_web_files();
  auto it = files.find(name);
  return it == files.end() || name.ends_with(".mustache") ? nullptr : &it->second;
}

namespace {

// The QR code of `text` as its side in modules (with the quiet zone) and an SVG path of its dark
// modules.
std::pair<int, std::string> qr_path(const std::string& text) {
  const auto q = encode(text);
  const int n = q->width, border = 4, size = n + 2 * border;
  std::string path;
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n; ++x) {
      if (q->data[y * n + x] & 1)
        path += "M" + std::to_string(x + border) + " " + std::to_string(y + border) + "h1v1h-1z";
    }
  }
  return {size, path};
}

}  // namespace

std::string qr_svg(const std::string& text) {
  const auto [size, path] = qr_path(text);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(size) + " " +
         std::to_string(size) +
         "\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"คิวอาร์โค้ด\"><rect "
         "width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"" +
         path + "\" fill=\"#000\"/></svg>";
}

std::string qr_svg_symbol(const std::string& text, const std::string& id) {
  const auto [size, path] = qr_path(text);
  const std::string side = std::to_string(size);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"0\" height=\"0\" "
         "style=\"position:absolute\" aria-hidden=\"true\"><symbol id=\"" +
         id + "\" viewBox=\"0 0 " + side + " " + side + "\"><rect width=\"" + side +
         "\" height=\"" + side + "\" fill=\"#fff\"/><path d=\"" + path +
         "\" fill=\"#000\" shape-rendering=\"crispEdges\"/></symbol></svg>";
}

std::string qr_png(const std::string& text) {
  const auto q = encode(text);
  const int scale = 8, border = 4, n = q->width, size = (n + 2 * border) * scale;
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, size, size);
  cairo_t* cr = cairo_create(s);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n; ++x) {
      if (q->data[y * n + x] & 1)
        cairo_rectangle(cr, (x + border) * scale, (y + border) * scale, scale, scale);
    }
  }
  cairo_fill(cr);
  cairo_destroy(cr);
  std::string out;
  cairo_surface_write_to_png_stream(
      s,
      [](void* closure, const unsigned char* data, unsigned int length) {
        static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
        return CAIRO_STATUS_SUCCESS;
      },
      &out);
  cairo_surface_destroy(s);
  return out;
}

}  // namespace ita::web

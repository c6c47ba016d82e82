#include "store/answers_json.hpp"

#include <cstdint>
#include <cstring>

namespace ita::store::answers_json {

namespace {

void put_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t plain = 0;  // start of the run of characters that need no escape
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0x0f];
    }
  }
  out.append(s.data() + plain, s.size() - plain);
  out += '"';
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void skip_space(const char*& p, const char* end) {
  while (p != end && is_space(*p)) ++p;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool hex4(const char*& p, const char* end, std::uint32_t& v) {
  if (end - p < 4) return false;
  v = 0;
  for (int k = 0; k < 4; ++k) {
    const int h = hex_value(*p++);
    if (h < 0) return false;
    v = (v << 4) | static_cast<std::uint32_t>(h);
  }
  return true;
}

void put_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

void encode(std::string& out, const std::vector<std::string_view>& values) {
  out += '[';
  for (std::size_t k = 0; k < values.size(); ++k) {
    if (k > 0) out += ',';
    put_string(out, values[k]);
  }
  out += ']';
}

// A JSON string at p (its opening quote); a view into the text when it has no escapes.
bool Decoder::string(const char*& p, const char* end, std::string_view& out) {
  if (p == end || *p != '"') return false;
  const char* start = ++p;
  // The common case: no escape before the closing quote.
  while (p != end && *p != '"' && *p != '\\') {
    if (static_cast<unsigned char>(*p) < 0x20) return false;
    ++p;
  }
  if (p == end) return false;
  if (*p == '"') {
    out = std::string_view(start, static_cast<std::size_t>(p - start));
    ++p;
    return true;
  }
  std::string& s = unescaped_.emplace_back(start, static_cast<std::size_t>(p - start));
  while (p != end && *p != '"') {
    const char c = *p++;
    if (static_cast<unsigned char>(c) < 0x20) return false;
    if (c != '\\') {
      s += c;
      continue;
    }
    if (p == end) return false;
    switch (*p++) {
      case '"':
        s += '"';
        break;
      case '\\':
        s += '\\';
        break;
      case '/':
        s += '/';
        break;
      case 'b':
        s += '\b';
        break;
      case 'f':
        s += '\f';
        break;
      case 'n':
        s += '\n';
        break;
      case 'r':
        s += '\r';
        break;
      case 't':
        s += '\t';
        break;
      case 'u': {
        std::uint32_t cp = 0;
        if (!hex4(p, end, cp)) return false;
        if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a low surrogate alone
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          std::uint32_t low = 0;
          if (end - p < 2 || p[0] != '\\' || p[1] != 'u') return false;
          p += 2;
          if (!hex4(p, end, low) || low < 0xDC00 || low > 0xDFFF) return false;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        put_utf8(s, cp);
        break;
      }
      default:
        return false;
    }
  }
  if (p == end) return false;
  ++p;
  out = s;
  return true;
}

const std::string* Decoder::decode_chars(std::string_view text) {
  chars_.clear();
  const char* p = text.data();
  const char* end = p + text.size();
  if (end - p < 2 || *p != '[' || end[-1] != ']') return nullptr;
  ++p;
  --end;  // now at the closing bracket
  if (p == end) return &chars_;
  for (;;) {
    // '"', one plain character, '"', then ',' or the end.
    if (end - p < 3 || p[0] != '"' || p[2] != '"' || p[1] == '"' || p[1] == '\\' ||
        static_cast<unsigned char>(p[1]) < 0x20 || static_cast<unsigned char>(p[1]) >= 0x80)
      return nullptr;
    chars_ += p[1];
    p += 3;
    if (p == end) return &chars_;
    if (*p++ != ',') return nullptr;
  }
}

const std::vector<std::string_view>* Decoder::decode(std::string_view text) {
  values_.clear();
  unescaped_.clear();
  const char* p = text.data();
  const char* end = p + text.size();
  skip_space(p, end);
  if (p == end || *p++ != '[') return nullptr;
  skip_space(p, end);
  if (p != end && *p == ']') {
    ++p;
  } else {
    for (;;) {
      std::string_view value;
      if (!string(p, end, value)) return nullptr;
      values_.push_back(value);
      skip_space(p, end);
      if (p == end) return nullptr;
      const char c = *p++;
      if (c == ']') break;
      if (c != ',') return nullptr;
      skip_space(p, end);
    }
  }
  skip_space(p, end);
  return p == end ? &values_ : nullptr;
}

std::int64_t slot_of(std::int64_t round_id, std::string_view id) {
  if (round_id < 0 || round_id > kMaxRoundForSlots || id.size() < kSlotBits / 4) return -1;
  std::int64_t low = 0;
  for (std::size_t i = 0; i < kSlotBits / 4; ++i) {
    const int h = hex_value(id[i]);
    if (h < 0 || (id[i] >= 'A' && id[i] <= 'F')) return -1;  // ids are lowercase hex
    low = (low << 4) | h;
  }
  return (round_id << kSlotBits) | low;
}

}  // namespace ita::store::answers_json

#pragma once
// Damages a closed SQLite database the way someone with write access to the file would: the page
// found from the file header's page size and the table's root page, then garbage written into
// the rows on it (https://www.sqlite.org/fileformat2.html).
#include <sqlite3.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

namespace ita::test {

namespace corrupt_detail {

inline std::uint32_t big_endian(const std::string& bytes, std::size_t at, int width) {
  std::uint32_t value = 0;
  for (int i = 0; i < width; ++i)
    value = (value << 8) | static_cast<unsigned char>(bytes.at(at + static_cast<std::size_t>(i)));
  return value;
}

inline std::uint32_t root_page(const std::string& path, const std::string& table) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* s = nullptr;
  std::uint32_t root = 0;
  if (sqlite3_prepare_v2(db, "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?",
                         -1, &s, nullptr) == SQLITE_OK) {
    sqlite3_bind_text(s, 1, table.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(s) == SQLITE_ROW) root = static_cast<std::uint32_t>(sqlite3_column_int(s, 0));
  }
  sqlite3_finalize(s);
  sqlite3_close_v2(db);
  if (root == 0) throw std::runtime_error("no table " + table + " in " + path);
  return root;
}

}  // namespace corrupt_detail

// Overwrites `count` bytes in the middle of the rows of a leaf page of table `table` in the
// closed SQLite database `path` (its -wal checkpointed away): from the table's root page down the
// right-most child pointers. Returns the page number.
inline std::uint32_t overwrite_table_leaf(const std::string& path, const std::string& table,
                                          std::size_t count = 40) {
  using corrupt_detail::big_endian;
  const std::uint32_t root = corrupt_detail::root_page(path, table);
  std::string file;
  {
    std::ifstream in(path, std::ios::binary);
    file.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::uint32_t page_size = big_endian(file, 16, 2);
  if (page_size == 1) page_size = 65536;
  std::uint32_t page = root;
  std::size_t start = 0;
  for (;;) {
    start = static_cast<std::size_t>(page - 1) * page_size;
    const auto type = static_cast<unsigned char>(file.at(start));
    if (type == 0x0d) break;                                         // a table leaf
    if (type != 0x05) throw std::runtime_error("not a table page");  // 0x05: interior
    page = big_endian(file, start + 8, 4);                           // the right-most child
  }
  std::uint32_t content = big_endian(file, start + 5, 2);  // where the rows begin on the page
  if (content == 0) content = 65536;
  const std::size_t middle = start + content + (page_size - content) / 2;
  const std::size_t at = middle > start + page_size - count ? start + page_size - count : middle;
  std::fstream out(path, std::ios::binary | std::ios::in | std::ios::out);
  out.seekp(static_cast<std::streamoff>(at));
  for (std::size_t i = 0; i < count; ++i) out.put(static_cast<char>((i * 37 + 11) % 256));
  if (!out.flush()) throw std::runtime_error("cannot write " + path);
  return page;
}

}  // namespace ita::test

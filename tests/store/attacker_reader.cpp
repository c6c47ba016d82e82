#include "attacker_reader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <numeric>
#include <set>
#include <stdexcept>

#include "store/answers_json.hpp"

namespace ita::test {

namespace {

std::vector<double> ranks(const std::vector<double>& x) {
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::vector<double> r(x.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j < order.size() && x[order[j]] == x[order[i]]) ++j;
    for (std::size_t k = i; k < j; ++k) r[order[k]] = (static_cast<double>(i + j) - 1) / 2;
    i = j;
  }
  return r;
}

}  // namespace

double spearman(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) throw std::invalid_argument("spearman: series of unequal length");
  if (a.size() < 3) return 0;
  const std::vector<double> ra = ranks(a), rb = ranks(b);
  const double mean = (static_cast<double>(a.size()) - 1) / 2;
  double ab = 0, aa = 0, bb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ab += (ra[i] - mean) * (rb[i] - mean);
    aa += (ra[i] - mean) * (ra[i] - mean);
    bb += (rb[i] - mean) * (rb[i] - mean);
  }
  return aa == 0 || bb == 0 ? 0 : ab / std::sqrt(aa * bb);
}

namespace sqlite_file {

namespace {

std::uint32_t be(const std::string& s, std::size_t at, int bytes) {
  if (at + bytes > s.size()) throw std::runtime_error("sqlite_file: read past the end of a page");
  std::uint32_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

// A varint of the file format (1–9 bytes, big-endian, 7 bits a byte, 8 in the ninth) at `at`,
// which it moves past it.
std::int64_t varint(const std::string& s, std::size_t& at) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) {
    const auto c = static_cast<unsigned char>(s.at(at++));
    v = (v << 7) | (c & 0x7f);
    if (c < 0x80) return static_cast<std::int64_t>(v);
  }
  v = (v << 8) | static_cast<unsigned char>(s.at(at++));
  return static_cast<std::int64_t>(v);
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Where the B-tree header of page `page` starts: page 1 begins with the file's 100-byte header.
std::size_t header_at(std::uint32_t page) {
  return page == 1 ? 100 : 0;
}

const std::string& page_of(const Files& f, std::uint32_t page) {
  const auto it = f.pages.find(page);
  if (it == f.pages.end())
    throw std::runtime_error("sqlite_file: page " + std::to_string(page) + " does not exist");
  return it->second;
}

// The payload of a table leaf cell whose payload (`size` bytes) starts at `at` of `image`, with
// what overflows into other pages.
std::string payload(const Files& f, const std::string& image, std::size_t at, std::int64_t size) {
  const std::int64_t u = f.usable, x = u - 35;
  std::int64_t local = size;
  if (size > x) {
    const std::int64_t m = ((u - 12) * 32 / 255) - 23;
    const std::int64_t k = m + ((size - m) % (u - 4));
    local = k <= x ? k : m;
  }
  std::string out = image.substr(at, static_cast<std::size_t>(local));
  std::uint32_t next = local < size ? be(image, at + static_cast<std::size_t>(local), 4) : 0;
  while (next != 0 && static_cast<std::int64_t>(out.size()) < size) {
    const std::string& overflow = page_of(f, next);
    const auto take = std::min<std::int64_t>(u - 4, size - static_cast<std::int64_t>(out.size()));
    out += overflow.substr(4, static_cast<std::size_t>(take));
    next = be(overflow, 0, 4);
  }
  return out;
}

// The columns of a record (the file format's serial types): integers as text, text as is.
std::vector<std::string> record(const std::string& p) {
  std::size_t at = 0;
  const auto header_size = static_cast<std::size_t>(varint(p, at));
  std::vector<std::int64_t> types;
  while (at < header_size) types.push_back(varint(p, at));
  std::vector<std::string> columns;
  std::size_t body = header_size;
  for (const std::int64_t t : types) {
    static constexpr int kIntBytes[] = {0, 1, 2, 3, 4, 6, 8};
    if (t >= 1 && t <= 6) {
      const int n = kIntBytes[t];
      std::int64_t v = static_cast<signed char>(p.at(body));
      for (int i = 1; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(p.at(body + i));
      columns.push_back(std::to_string(v));
      body += static_cast<std::size_t>(n);
    } else if (t == 8 || t == 9) {
      columns.push_back(t == 8 ? "0" : "1");
    } else if (t >= 12) {
      const auto n = static_cast<std::size_t>((t - (t % 2 == 0 ? 12 : 13)) / 2);
      columns.push_back(p.substr(body, n));
      body += n;
    } else {
      columns.emplace_back();  // NULL, or a float (none in the schema table)
      body += t == 7 ? 8 : 0;
    }
  }
  return columns;
}

void walk(const Files& f, std::uint32_t page, std::vector<Cell>& out, int depth) {
  if (depth > 20) throw std::runtime_error("sqlite_file: a B-tree deeper than 20 levels");
  const std::string& image = page_of(f, page);
  const std::size_t h = header_at(page);
  const auto type = static_cast<unsigned char>(image.at(h));
  const std::uint32_t cells = be(image, h + 3, 2);
  const std::size_t pointers = h + (type == 0x0d ? 8 : 12);
  for (std::uint32_t i = 0; i < cells; ++i) {
    std::size_t at = be(image, pointers + 2 * i, 2);
    if (type == 0x0d) {
      const std::uint32_t offset = static_cast<std::uint32_t>(at);
      varint(image, at);  // the payload's size
      out.push_back({page, offset, varint(image, at)});
    } else if (type == 0x05) {
      walk(f, be(image, at, 4), out, depth + 1);
    } else {
      throw std::runtime_error("sqlite_file: page " + std::to_string(page) +
                               " is not a page of a table's B-tree");
    }
  }
  if (type == 0x05) walk(f, be(image, h + 8, 4), out, depth + 1);
}

}  // namespace

Files read(const std::string& path) {
  Files f;
  f.main = file_bytes(path);
  if (f.main.size() < 100 || f.main.compare(0, 16, std::string("SQLite format 3\0", 16)) != 0)
    throw std::runtime_error("sqlite_file: " + path + " is not an SQLite database");
  f.page_size = be(f.main, 16, 2);
  if (f.page_size == 1) f.page_size = 65536;
  f.usable = f.page_size - static_cast<unsigned char>(f.main[20]);
  for (std::size_t at = 0; at + f.page_size <= f.main.size(); at += f.page_size)
    f.pages[static_cast<std::uint32_t>(at / f.page_size + 1)] = f.main.substr(at, f.page_size);

  // The log: a 32-byte header (magic, version, page size, checkpoint number, two salts, checksum),
  // then frames of a 24-byte header (page number, the database's size in pages after a commit or
  // 0, the two salts, checksum) and the page.
  f.wal = file_bytes(path + "-wal");
  if (f.wal.size() < 32) return f;
  const std::uint32_t size = be(f.wal, 8, 4);
  const std::string salts = f.wal.substr(16, 8);
  std::map<std::uint32_t, std::string> pending;
  for (std::size_t at = 32; at + 24 + size <= f.wal.size(); at += 24 + size) {
    Frame frame{be(f.wal, at, 4), be(f.wal, at + 4, 4) != 0, f.wal.compare(at + 8, 8, salts) == 0,
                f.wal.substr(at + 24, size)};
    if (frame.current) {
      pending[frame.page] = frame.image;
      if (frame.commit) {
        for (auto& [page, image] : pending) f.pages[page] = std::move(image);
        pending.clear();
      }
    }
    f.frames.push_back(std::move(frame));
  }
  return f;
}

std::uint32_t root_page(const Files& f, const std::string& name) {
  std::vector<Cell> schema;
  walk(f, 1, schema, 0);
  for (const Cell& c : schema) {
    const std::string& image = page_of(f, c.page);
    std::size_t at = c.offset;
    const std::int64_t size = varint(image, at);
    varint(image, at);  // rowid
    const std::vector<std::string> row = record(payload(f, image, at, size));
    // type, name, tbl_name, rootpage, sql
    if (row.size() >= 4 && row[0] == "table" && row[1] == name)
      return static_cast<std::uint32_t>(std::stoul(row[3]));
  }
  throw std::runtime_error("sqlite_file: no table " + name);
}

std::vector<Cell> table_cells(const Files& f, std::uint32_t root) {
  std::vector<Cell> out;
  walk(f, root, out, 0);
  return out;
}

std::vector<std::int64_t> leaf_rowids(const std::string& image, std::uint32_t page) {
  std::vector<std::int64_t> out;
  const std::size_t h = header_at(page);
  if (image.size() <= h + 8 || static_cast<unsigned char>(image[h]) != 0x0d) return out;
  const std::uint32_t cells = be(image, h + 3, 2);
  for (std::uint32_t i = 0; i < cells; ++i) {
    std::size_t at = be(image, h + 8 + 2 * i, 2);
    if (at + 2 > image.size()) break;  // not a page we can read
    varint(image, at);
    out.push_back(varint(image, at));
  }
  return out;
}

}  // namespace sqlite_file

double against(const Order& order, const Order& arrival) {
  std::vector<double> a, b;
  for (const auto& [slot, position] : order) {
    a.push_back(position);
    b.push_back(arrival.at(slot));
  }
  return spearman(a, b);
}

Order keys(const Order& arrival) {
  Order out;
  for (const auto& [slot, _] : arrival) out[slot] = static_cast<double>(slot);
  return out;
}

SqliteView sqlite_view(const std::string& path, std::int64_t round_id, const Order& arrival) {
  namespace sf = sqlite_file;
  SqliteView v;
  v.files = sf::read(path);
  const auto [first, end] = store::answers_json::slots_of_round(round_id);
  std::map<std::uint32_t, std::vector<sf::Cell>> by_page;
  for (const sf::Cell& c : sf::table_cells(v.files, sf::root_page(v.files, "responses"))) {
    if (c.rowid < first || c.rowid >= end) continue;
    v.orders["page, then cell offset"][c.rowid] = c.page * 65536.0 + (65536.0 - c.offset);
    v.orders["page"][c.rowid] = c.page;
    v.orders["rowid"][c.rowid] = static_cast<double>(c.rowid);
    by_page[c.page].push_back(c);
  }
  double weighted = 0;
  std::size_t cells = 0;
  for (const auto& [page, row] : by_page) {
    for (std::size_t i = 1; i < row.size(); ++i)
      v.pages_in_key_order = v.pages_in_key_order && row[i].offset < row[i - 1].offset;
    if (row.size() < 3) continue;
    Order on_page;
    for (const sf::Cell& c : row) on_page[c.rowid] = -static_cast<double>(c.offset);
    weighted += against(on_page, arrival) * static_cast<double>(row.size());
    cells += row.size();
  }
  v.within_pages = cells == 0 ? 0 : weighted / static_cast<double>(cells);
  Order& log = v.orders["log frame"];
  for (std::size_t i = 0; i < v.files.frames.size(); ++i) {
    const sf::Frame& frame = v.files.frames[i];
    for (const std::int64_t rowid : sf::leaf_rowids(frame.image, frame.page)) {
      if (arrival.contains(rowid)) log.try_emplace(rowid, static_cast<double>(i));
    }
  }
  return v;
}

std::map<std::string, Order> postgres_view(RawDb& db, std::int64_t round_id) {
  const auto [first, end] = store::answers_json::slots_of_round(round_id);
  std::map<std::string, Order> orders;
  for (const auto& row :
       db.query("SELECT slot, ctid::text, xmin::text FROM responses WHERE slot >= " +
                std::to_string(first) + " AND slot < " + std::to_string(end))) {
    const std::int64_t slot = std::stoll(*row.at(0));
    const std::string ctid = *row.at(1);  // "(block,item)"
    const auto comma = ctid.find(',');
    orders["ctid"][slot] = std::stod(ctid.substr(1, comma - 1)) * 65536 +
                           std::stod(ctid.substr(comma + 1, ctid.size() - comma - 2));
    orders["xmin"][slot] = std::stod(*row.at(2));
  }
  return orders;
}

namespace {

std::set<double> values(const Order& order) {
  std::set<double> out;
  for (const auto& [_, v] : order) out.insert(v);
  return out;
}

// How closely an order read from the files may follow the order of arrival once mixed: no
// closer than the random keys themselves do, with room for ties and for pages read as blocks.
// (A fixed bound alone would fail now and then: the keys are random, so by chance alone they
// correlate with arrival — with 200 responses |rho| exceeds 0.3 about once in 10,000 rounds.)
double no_more_than_keys(const Order& arrival) {
  return std::max(0.3, std::abs(against(keys(arrival), arrival)) + 0.15);
}

}  // namespace

void expect_arrival_order_shows(const Target& t, std::int64_t round_id, const Order& arrival) {
  if (!t.sqlite_path.empty()) {
    const SqliteView v = sqlite_view(t.sqlite_path, round_id, arrival);
    EXPECT_EQ(v.orders.at("log frame").size(), arrival.size());
    EXPECT_GT(against(v.orders.at("log frame"), arrival), 0.8) << "the log's frames";
  } else {
    const auto orders = postgres_view(t.db, round_id);
    EXPECT_GT(against(orders.at("ctid"), arrival), 0.8) << "heap positions";
    EXPECT_GT(against(orders.at("xmin"), arrival), 0.8) << "transaction ids";
  }
}

void expect_only_key_order_shows(const Target& t, std::int64_t round_id, const Order& arrival) {
  const bool many = arrival.size() >= 200;
  if (!t.sqlite_path.empty()) {
    const SqliteView v = sqlite_view(t.sqlite_path, round_id, arrival);
    EXPECT_TRUE(v.files.wal.empty()) << "the log holds " << v.files.frames.size() << " frames";
    EXPECT_TRUE(v.orders.at("log frame").empty());
    EXPECT_TRUE(v.pages_in_key_order) << "cells not in key order on a page";
    ASSERT_EQ(v.orders.at("rowid").size(), arrival.size());
    // (Which page holds which range of keys follows the free list, itself in key order.)
    if (many) {
      for (const auto& [name, order] : v.orders)
        EXPECT_LT(std::abs(against(order, arrival)), no_more_than_keys(arrival)) << name;
      EXPECT_LT(std::abs(v.within_pages), no_more_than_keys(arrival)) << "cell offsets in pages";
    }
    // No copy of a response is left anywhere in the file but its row.
    for (const auto& row : t.db.query("SELECT id FROM responses")) {
      std::size_t copies = 0;
      for (auto at = v.files.main.find(*row.at(0)); at != std::string::npos;
           at = v.files.main.find(*row.at(0), at + 1))
        ++copies;
      EXPECT_EQ(copies, 1u) << "response " << *row.at(0);
    }
  } else {
    const auto orders = postgres_view(t.db, round_id);
    ASSERT_EQ(orders.at("ctid").size(), arrival.size());
    EXPECT_EQ(values(orders.at("xmin")).size(), 1u) << "rows of several transactions";
    EXPECT_GT(against(orders.at("ctid"), keys(arrival)), 0.99) << "heap not in key order";
    if (many) {
      EXPECT_LT(std::abs(against(orders.at("ctid"), arrival)), no_more_than_keys(arrival))
          << "heap positions";
    }
  }
}

}  // namespace ita::test

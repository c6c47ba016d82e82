#pragma once
// What someone who can read a store's database files learns of the order rows were written in,
// read the way such a person would: the SQLite files parsed byte by byte after the file format
// (https://www.sqlite.org/fileformat2.html), without SQLite; PostgreSQL rows' hidden columns.
// With the expectations of the mixing tests (tests/store/mixing_test.cpp, tests/web/).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "raw_db.hpp"

namespace ita::test {

// Spearman's rank correlation of two series of the same length: +1 when one orders the items as
// the other does, -1 when in reverse, about 0 when unrelated. Ties share their mean rank. 0 when
// there are fewer than 3 items or one series is constant (it orders nothing).
double spearman(const std::vector<double>& a, const std::vector<double>& b);

namespace sqlite_file {

// One frame of the write-ahead log: the image of one page as a transaction wrote it.
struct Frame {
  std::uint32_t page = 0;
  bool commit = false;   // the last frame of its transaction
  bool current = false;  // of the log's present generation (else left over from an earlier one)
  std::string image;
};

struct Files {
  std::uint32_t page_size = 0;
  std::uint32_t usable = 0;   // page size less the bytes reserved at each page's end
  std::string main;           // the database file's bytes
  std::string wal;            // the -wal file's bytes (empty when there is none)
  std::vector<Frame> frames;  // every whole frame of the -wal file, in file order
  // The database as a reader sees it: the file's pages, replaced by the log's current frames up to
  // its last commit.
  std::map<std::uint32_t, std::string> pages;
};

// Reads the database file `path` and its `path`-wal. Throws std::runtime_error when the file is
// not an SQLite database.
Files read(const std::string& path);

// A row of a table's B-tree as it lies on its leaf page.
struct Cell {
  std::uint32_t page = 0;    // the leaf page
  std::uint32_t offset = 0;  // where the cell starts inside the page: SQLite writes each new cell
                             // below those already there
  std::int64_t rowid = 0;
};

// The root page of table `name`, from the schema table on page 1.
std::uint32_t root_page(const Files& files, const std::string& name);
// The rows of the table whose B-tree starts at `root`, in key order (the B-tree's order).
std::vector<Cell> table_cells(const Files& files, std::uint32_t root);
// The rowids on a page image when it is a table leaf page (of page number `page`), else none.
std::vector<std::int64_t> leaf_rowids(const std::string& image, std::uint32_t page);

}  // namespace sqlite_file

// An order read from a database: a position for each response (by slot) that it places.
using Order = std::map<std::int64_t, double>;

// How `order` places the responses against the order they arrived in (`arrival`: slot → 0, 1,
// 2…): Spearman's correlation over the responses it places.
double against(const Order& order, const Order& arrival);
// The slots of `arrival` as an order: the key order.
Order keys(const Order& arrival);

// What the SQLite files show of the responses of one round.
struct SqliteView {
  sqlite_file::Files files;
  // By leaf: "page, then cell offset" (a later cell lies lower on its page), "page", "rowid"; by
  // log: "log frame" (the first frame of the -wal file, stale ones too, that shows the row).
  std::map<std::string, Order> orders;
  // Within each leaf page on its own, by cell offset: the correlation with arrival, weighted by
  // the page's cells, over pages of 3 cells or more.
  double within_pages = 0;
  bool pages_in_key_order = true;  // on every page, the cells' offsets fall as their keys rise
};
SqliteView sqlite_view(const std::string& path, std::int64_t round_id, const Order& arrival);

// What PostgreSQL shows of the responses of one round: "ctid" (where each row lies on the heap)
// and "xmin" (the transaction that wrote it).
std::map<std::string, Order> postgres_view(RawDb& db, std::int64_t round_id);

// The database of a test as an attacker reads it: the SQLite file at `sqlite_path` (when not
// empty) or PostgreSQL; `db` reads its rows either way.
struct Target {
  std::string sqlite_path;
  RawDb& db;
};
// Expects the attack to work: some order read from the database follows the order of arrival
// (|rho| > 0.8: SQLite's log; PostgreSQL's ctid and xmin).
void expect_arrival_order_shows(const Target& t, std::int64_t round_id, const Order& arrival);
// Expects, after mixing, every order the database shows to be the key order (and so to follow
// arrival only as the random keys do: |rho| < 0.3 for 200 responses or more, a 4-sigma bound),
// SQLite's log to be empty and its file to hold no copy of a response but its row; PostgreSQL's
// rows to carry one transaction id.
void expect_only_key_order_shows(const Target& t, std::int64_t round_id, const Order& arrival);

}  // namespace ita::test

#pragma once
// Problems found in a spreadsheet (an .xlsx workbook or a folder of CSV files): each names the
// sheet, the row as a spreadsheet shows it (1-based, the header is row 1) and the column, in
// English and in Thai. A SheetError carries every problem found, not only the first.
#include <string>
#include <vector>

#include "io/json_error.hpp"

namespace ita::io {

struct SheetProblem {
  std::string sheet;        // "items"; a CSV folder's sheet is the file items.csv
  int row = 0;              // 1-based; 0 when the problem concerns the whole sheet or column
  std::string column;       // column letter, "C"; empty when it concerns a whole row or sheet
  std::string column_name;  // the column's header, "indicator"; empty with `column`
  std::string message_en;
  std::string message_th;

  // `sheet "items", row 12, column C (indicator)`; the parts that are unknown are left out.
  std::string where() const;
  // `แผ่นงาน "items" แถวที่ 12 คอลัมน์ C (indicator)`.
  std::string where_th() const;
  // where() + ": " + message_en (or the Thai forms).
  std::string describe(bool thai = false) const;
};

// "A" for 1, "Z" for 26, "AA" for 27; "" for 0.
std::string column_letter(int column);

class SheetError : public FileError {
 public:
  // what(): one line per problem, "FILE: sheet "items", row 12, column C (indicator): ...".
  SheetError(std::string file, std::vector<SheetProblem> problems);
  const std::vector<SheetProblem>& problems() const noexcept { return problems_; }

 private:
  std::vector<SheetProblem> problems_;
};

}  // namespace ita::io

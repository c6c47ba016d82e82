// The national commands through the real `ita` binary: datagen → import → score --round-all.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "io/answers_csv.hpp"
#include "support/run_ita.hpp"

namespace ita {
namespace {

namespace fs = std::filesystem;

using testing::CmdRun;

CmdRun ita(const std::string& args) {
  return testing::run_ita(args);
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class NationalCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ita-national-cli-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST_F(NationalCli, DatagenImportScoreEveryRound) {
  const CmdRun gen =
      ita("datagen --agencies 30 --answers 3000 --edition 2564 --seed 9 --out " + path("set"));
  ASSERT_EQ(gen.code, 0) << gen.err;
  EXPECT_NE(gen.out.find("30 agencies"), std::string::npos) << gen.out;
  const CmdRun again =
      ita("datagen --agencies 30 --answers 3000 --edition 2564 --seed 9 --out " + path("set2"));
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(slurp(dir_ / "set" / "answers.csv"), slurp(dir_ / "set2" / "answers.csv"));

  const CmdRun imp = ita("import " + path("set") + " --db " + path("ita.sqlite"));
  ASSERT_EQ(imp.code, 0) << imp.err;
  EXPECT_NE(imp.out.find("3000 responses"), std::string::npos) << imp.out;
  // The same data set again: recognised, nothing added.
  const CmdRun twice = ita("import " + path("set2") + " --db " + path("ita.sqlite"));
  ASSERT_EQ(twice.code, 0) << twice.err;
  EXPECT_NE(twice.out.find("was imported before, nothing changed"), std::string::npos) << twice.out;
  EXPECT_NE(twice.out.find("30 agencies (ids from 1)"), std::string::npos) << twice.out;

  const CmdRun score =
      ita("score --db " + path("ita.sqlite") + " --round-all --out " + path("results.csv"));
  ASSERT_EQ(score.code, 0) << score.err;
  EXPECT_NE(score.err.find("scored 30 of 30 rounds"), std::string::npos) << score.err;
  std::istringstream csv(slurp(dir_ / "results.csv"));
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line,
            "agency_id,agency,province,type,edition,iit,eit,oit,total,level_code,level_th,rank_"
            "national,rank_province,rank_type");
  std::set<int> national;
  std::map<std::string, std::set<int>> by_province;
  std::vector<std::pair<double, int>> total_rank;
  int rows = 0;
  while (std::getline(csv, line)) {
    const auto f = *io::split_csv_line(line);
    ASSERT_EQ(f.size(), 14u) << line;
    ++rows;
    EXPECT_EQ(f[0], std::to_string(rows));
    EXPECT_EQ(f[4], "2564");
    national.insert(std::stoi(f[11]));
    by_province[f[2]].insert(std::stoi(f[12]));
    total_rank.emplace_back(std::stod(f[8]), std::stoi(f[11]));
  }
  EXPECT_EQ(rows, 30);
  EXPECT_EQ(national.size(), 30u);
  EXPECT_EQ(*national.begin(), 1);
  EXPECT_EQ(*national.rbegin(), 30);
  for (const auto& [province, ranks] : by_province) {
    EXPECT_EQ(*ranks.rbegin(), static_cast<int>(ranks.size()))
        << province;  // 1..n within each province
  }
  std::sort(total_rank.begin(), total_rank.end(),
            [](auto a, auto b) { return a.second < b.second; });
  for (std::size_t i = 1; i < total_rank.size(); ++i)
    EXPECT_GE(total_rank[i - 1].first, total_rank[i].first);

  // Standard output when --out is not given; a device is written, never replaced.
  const CmdRun to_stdout = ita("score --db " + path("ita.sqlite") + " --round-all --jobs 1");
  ASSERT_EQ(to_stdout.code, 0) << to_stdout.err;
  EXPECT_EQ(to_stdout.out, slurp(dir_ / "results.csv"));
  const CmdRun device = ita("score --db " + path("ita.sqlite") + " --round-all --out /dev/null");
  ASSERT_EQ(device.code, 0) << device.err;
  EXPECT_FALSE(fs::is_regular_file("/dev/null"));

  // Straight from the files: the same CSV, byte for byte, whatever the number of threads.
  for (const char* jobs : {"1", "3"}) {
    const CmdRun files = ita("score --dataset " + path("set") + " --jobs " + jobs + " --out " +
                             path("from-files.csv"));
    ASSERT_EQ(files.code, 0) << files.err;
    EXPECT_NE(files.err.find("scored 30 of 30 agencies"), std::string::npos) << files.err;
    EXPECT_EQ(slurp(dir_ / "from-files.csv"), slurp(dir_ / "results.csv")) << jobs;
  }
}

// `ita reports`: one measures document per scorable round, rendered by two processes, named by
// the round and headed by its agency.
TEST_F(NationalCli, ReportsForEveryRound) {
  ASSERT_EQ(
      ita("datagen --agencies 6 --answers 120 --edition 2564 --seed 3 --out " + path("set")).code,
      0);
  ASSERT_EQ(ita("import " + path("set") + " --db " + path("ita.sqlite")).code, 0);
  const CmdRun html = ita("reports --db " + path("ita.sqlite") + " --out-dir " + path("docs") +
                          " --format html --jobs 2");
  ASSERT_EQ(html.code, 0) << html.err;
  EXPECT_NE(html.out.find("wrote 6 documents (html)"), std::string::npos) << html.out;
  std::set<std::string> files;
  for (const auto& e : fs::directory_iterator(dir_ / "docs"))
    files.insert(e.path().filename().string());
  EXPECT_EQ(files.size(), 6U);
  EXPECT_TRUE(files.contains("ita-measures-round-1.html"));
  EXPECT_TRUE(files.contains("ita-measures-round-6.html"));
  // The agency of round 1 heads its document.
  const std::string agencies = slurp(dir_ / "set" / "agencies.csv");
  const auto line = agencies.substr(agencies.find('\n') + 1);
  const auto name =
      line.substr(line.find(',') + 1, line.find(',', line.find(',') + 1) - line.find(',') - 1);
  EXPECT_NE(slurp(dir_ / "docs" / "ita-measures-round-1.html").find(name), std::string::npos)
      << name;
  const CmdRun pdf = ita("reports --db " + path("ita.sqlite") + " --out-dir " + path("pdf"));
  ASSERT_EQ(pdf.code, 0) << pdf.err;
  EXPECT_EQ(slurp(dir_ / "pdf" / "ita-measures-round-2.pdf").substr(0, 5), "%PDF-");
  const CmdRun none = ita("reports --db " + path("none.sqlite") + " --out-dir " + path("x"));
  EXPECT_EQ(none.code, 2);
  EXPECT_NE(none.err.find("no database"), std::string::npos) << none.err;
  EXPECT_FALSE(fs::exists(path("none.sqlite")));
}

TEST_F(NationalCli, BadUseExitsWithTwo) {
  const CmdRun nothing = ita("score");
  EXPECT_EQ(nothing.code, 2);
  EXPECT_NE(nothing.err.find("FILE"), std::string::npos) << nothing.err;
  const CmdRun no_all = ita("score --db " + path("none.sqlite"));
  EXPECT_EQ(no_all.code, 2);
  const CmdRun missing_db = ita("score --db " + path("none.sqlite") + " --round-all");
  EXPECT_EQ(missing_db.code, 2);
  EXPECT_NE(missing_db.err.find("no database"), std::string::npos) << missing_db.err;
  EXPECT_FALSE(fs::exists(path("none.sqlite")));
  const CmdRun no_set = ita("import " + path("nothing-here") + " --db " + path("x.sqlite"));
  EXPECT_EQ(no_set.code, 2);
  EXPECT_NE(no_set.err.find("dataset.json"), std::string::npos) << no_set.err;
  const CmdRun no_files = ita("score --dataset " + path("nothing-here"));
  EXPECT_EQ(no_files.code, 2);
  EXPECT_NE(no_files.err.find("dataset.json"), std::string::npos) << no_files.err;
  const CmdRun both = ita("score --dataset " + path("nothing-here") + " --db " + path("x.sqlite"));
  EXPECT_EQ(both.code, 2);
  const CmdRun too_few = ita("datagen --agencies 10 --answers 5 --out " + path("few"));
  EXPECT_EQ(too_few.code, 2);
  EXPECT_NE(too_few.err.find("--answers"), std::string::npos) << too_few.err;
}

}  // namespace
}  // namespace ita

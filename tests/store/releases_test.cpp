// Releases of open rounds' figures (src/store/sql_releases.cpp), on both backends: one per round,
// replaced only by a reader that saw the release now stored.
#include <gtest/gtest.h>

#include <chrono>

#include "store_fixture.hpp"

namespace ita::store {
namespace {

using namespace fixture;
using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

ResultRelease release(std::int64_t round, int iit, int eit, const std::string& text, unsigned d) {
  return {round, iit, eit, text, year{2026} / month{12} / day{d}};
}

void expect_same(const std::optional<ResultRelease>& got, const ResultRelease& want) {
  ASSERT_TRUE(got);
  EXPECT_EQ(got->round_id, want.round_id);
  EXPECT_EQ(got->respondents_iit, want.respondents_iit);
  EXPECT_EQ(got->respondents_eit, want.respondents_eit);
  EXPECT_EQ(got->result_json, want.result_json);
  EXPECT_EQ(got->released_on, want.released_on);
}

TEST_P(StoreTest, AReleaseIsStoredOncePerRoundAndReadBack) {
  const Agency a = make_agency();
  const Round r1 = make_round(a.id, "r1");
  const Round r2 = make_round(a.id, "r2");
  EXPECT_FALSE(store_->result_release(r1.id));
  EXPECT_TRUE(store_->result_releases().empty());

  const ResultRelease first = release(r1.id, 5, 6, "{\"a\":1}", 3);
  EXPECT_TRUE(store_->replace_result_release(first, std::nullopt));
  expect_same(store_->result_release(r1.id), first);
  EXPECT_FALSE(store_->result_release(r2.id)) << "another round's release is its own";
  // A second reader that also saw no release does not store its own.
  EXPECT_FALSE(store_->replace_result_release(release(r1.id, 6, 6, "{\"b\":2}", 4), std::nullopt));
  expect_same(store_->result_release(r1.id), first);

  const ResultRelease other = release(r2.id, 9, 9, "{\"c\":3}", 5);
  EXPECT_TRUE(store_->replace_result_release(other, std::nullopt));
  const auto all = store_->result_releases();
  ASSERT_EQ(all.size(), 2U);
  expect_same(all[0], first);
  expect_same(all[1], other);
}

TEST_P(StoreTest, AReleaseIsReplacedOnlyByAReaderThatSawIt) {
  const Agency a = make_agency();
  const Round r = make_round(a.id, "r");
  const ResultRelease first = release(r.id, 5, 5, "{\"n\":5}", 3);
  ASSERT_TRUE(store_->replace_result_release(first, std::nullopt));
  // Two readers computed a successor of `first`: the first to store it wins.
  const ResultRelease a_next = release(r.id, 10, 11, "{\"n\":10}", 4);
  const ResultRelease b_next = release(r.id, 11, 11, "{\"n\":11}", 4);
  EXPECT_TRUE(store_->replace_result_release(a_next, first));
  EXPECT_FALSE(store_->replace_result_release(b_next, first));
  expect_same(store_->result_release(r.id), a_next);
  const ResultRelease third = release(r.id, 15, 16, "{\"n\":15}", 9);
  EXPECT_TRUE(store_->replace_result_release(third, store_->result_release(r.id)));
  expect_same(store_->result_release(r.id), third);
  EXPECT_EQ(raw_count("result_releases"), 1);
}

TEST_P(StoreTest, AReleaseOfAnUnknownRoundIsAConflict) {
  EXPECT_THROW(store_->replace_result_release(release(424242, 5, 5, "{}", 1), std::nullopt),
               Conflict);
  EXPECT_EQ(raw_count("result_releases"), 0);
}

TEST_P(StoreTest, TheSchemaRefusesAMalformedRelease) {
  const Agency a = make_agency();
  const Round r = make_round(a.id, "r");
  const std::string id = std::to_string(r.id);
  auto db = raw();
  EXPECT_FALSE(
      db->succeeds("INSERT INTO result_releases VALUES (" + id + ", -1, 5, '{}', '2026-12-03')"));
  EXPECT_FALSE(
      db->succeeds("INSERT INTO result_releases VALUES (" + id + ", 5, 5, '', '2026-12-03')"));
  EXPECT_FALSE(
      db->succeeds("INSERT INTO result_releases VALUES (" + id + ", 5, 5, '{}', '3 ธ.ค. 2569')"));
  EXPECT_TRUE(
      db->succeeds("INSERT INTO result_releases VALUES (" + id + ", 5, 5, '{}', '2026-12-03')"));
}

}  // namespace
}  // namespace ita::store

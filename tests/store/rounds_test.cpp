// Rounds, published editions and their drafts (src/store/sql_rounds.cpp), on both backends.
// Access codes are used up by submissions: responses_test.cpp.
#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace ita::store {
namespace {

using namespace fixture;

TEST_P(StoreTest, RoundsAreFoundByIdLinkTokenAndAgency) {
  const Agency a = make_agency();
  const Agency other = make_agency("อบต.หนองหอย");
  const Round first = make_round(a.id, "a1", true);
  const Round second = make_round(a.id, "a2");

  const auto found = store_->round(first.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->agency_id, a.id);
  EXPECT_EQ(found->edition_id, "2567");
  EXPECT_EQ(found->staff_count, 120);
  EXPECT_EQ(found->service_users, 300);
  EXPECT_EQ(found->iit_token, "iit-a1");
  EXPECT_EQ(found->eit_token, "eit-a1");
  EXPECT_TRUE(found->access_codes_required);
  EXPECT_EQ(found->status, RoundStatus::Open);
  EXPECT_FALSE(store_->round(second.id)->access_codes_required);

  EXPECT_EQ(store_->round_by_token("iit-a1")->id, first.id);
  EXPECT_EQ(store_->round_by_token("eit-a1")->id, first.id);
  EXPECT_EQ(store_->round_by_token("eit-a2")->id, second.id);
  EXPECT_FALSE(store_->round_by_token("iit-zz"));
  EXPECT_FALSE(store_->round(second.id + 100));

  const auto of_agency = store_->rounds_of_agency(a.id);
  ASSERT_EQ(of_agency.size(), 2u);
  EXPECT_EQ(of_agency[0].id, first.id);
  EXPECT_EQ(of_agency[1].id, second.id);
  EXPECT_TRUE(store_->rounds_of_agency(other.id).empty());

  Round clash = *found;
  clash.eit_token = "eit-new";
  EXPECT_THROW(store_->create_round(clash, admin_id_), Conflict) << "same IIT token";
  clash.iit_token = "eit-a2";
  EXPECT_THROW(store_->create_round(clash, admin_id_), Conflict)
      << "IIT token equal to another round's EIT token";
  EXPECT_THROW(make_round(other.id + 100, "x"), Conflict) << "unknown agency";
  EXPECT_EQ(raw_count("rounds"), 2);
}

TEST_P(StoreTest, APracticeRoundIsStoredAsOne) {
  const Agency a = make_agency();
  Round r = make_round(a.id, "p1");
  EXPECT_FALSE(store_->round(r.id)->practice);
  r.iit_token = "iit-p2";
  r.eit_token = "eit-p2";
  r.practice = true;
  const Round practice = store_->create_round(r, admin_id_);
  EXPECT_TRUE(store_->round(practice.id)->practice);
  EXPECT_TRUE(store_->rounds_of_agency(a.id).back().practice);
}

// ---- published editions ----

TEST_P(StoreTest, PublishingAnEditionAddsAVersionUntilARoundUsesIt) {
  admin_id_ = make_user("admin@ita.go.th", Role::Admin, std::nullopt).id;
  EXPECT_TRUE(store_->published_editions().empty());
  const PublishedEdition v1 = store_->publish_edition("2570", R"({"v":1})", admin_id_);
  EXPECT_EQ(v1.version, 1);
  const PublishedEdition v2 = store_->publish_edition("2570", R"({"v":2})", admin_id_);
  EXPECT_EQ(v2.version, 2);
  store_->publish_edition("2569", R"({"v":1})", std::nullopt);
  const auto all = store_->published_editions();
  ASSERT_EQ(all.size(), 2u) << "the newest version of each id";
  EXPECT_EQ(all[0].id, "2569");
  EXPECT_EQ(all[1].id, "2570");
  EXPECT_EQ(all[1].version, 2);
  EXPECT_EQ(all[1].json, R"({"v":2})");
  EXPECT_EQ(all[1].published_by, admin_id_);
  EXPECT_FALSE(all[0].published_by);

  const Agency a = make_agency();
  Round r = make_round(a.id, "e1");
  r.iit_token = "iit-e2";
  r.eit_token = "eit-e2";
  r.edition_id = "2570";
  store_->create_round(r, admin_id_);
  EXPECT_EQ(store_->rounds_using_edition("2570"), 1);
  EXPECT_EQ(store_->rounds_using_edition("2569"), 0);
  EXPECT_THROW(store_->publish_edition("2570", R"({"v":3})", admin_id_), Conflict)
      << "a round was opened on it";
  EXPECT_EQ(store_->published_editions()[1].version, 2) << "nothing stored";
  EXPECT_EQ(raw_count("editions"), 3);
  // Newest first: two rounds, the agency, then the publications.
  const auto log = store_->audit_log(10);
  EXPECT_EQ(log[0].action, "round.create");
  EXPECT_EQ(log[1].action, "round.create");
  EXPECT_EQ(log[2].action, "agency.create");
  EXPECT_EQ(log[3].action, "edition.publish");
  EXPECT_EQ(log[3].target, "edition:2569");
}

TEST_P(StoreTest, AnEditionDraftIsReadOnlyByWhoUploadedIt) {
  const User admin = make_user("admin@ita.go.th", Role::Admin, std::nullopt);
  const User other = make_user("other@ita.go.th", Role::Admin, std::nullopt);
  store_->save_edition_draft("tok1", R"({"draft":1})", admin.id);
  EXPECT_EQ(store_->edition_draft("tok1", admin.id), R"({"draft":1})");
  EXPECT_FALSE(store_->edition_draft("tok1", other.id));
  EXPECT_FALSE(store_->edition_draft("tok2", admin.id));
  EXPECT_TRUE(store_->published_editions().empty()) << "a draft is not in force";
  EXPECT_TRUE(store_->audit_log(10).empty() ||
              store_->audit_log(10)[0].action != "edition.publish");
}

TEST(RoundStatuses, CodesRoundTrip) {
  for (RoundStatus s : {RoundStatus::Open, RoundStatus::Closed})
    EXPECT_EQ(parse_round_status(round_status_code(s)), s);
  EXPECT_EQ(round_status_code(RoundStatus::Open), "open");
  EXPECT_EQ(round_status_code(RoundStatus::Closed), "closed");
  EXPECT_FALSE(parse_round_status("Open"));
  EXPECT_FALSE(parse_round_status(""));
}

}  // namespace
}  // namespace ita::store

// Agencies, users, sessions and API tokens (src/store/sql_accounts.cpp), on both backends.
#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace ita::store {
namespace {

using namespace fixture;

TEST_P(StoreTest, AgenciesAreStoredAndListedInCreationOrder) {
  const Agency a = make_agency("เทศบาลตำบลบ้านใหม่");
  const Agency b = make_agency("องค์การบริหารส่วนตำบลหนองหอย");
  EXPECT_GT(a.id, 0);
  EXPECT_NE(a.id, b.id);

  const auto found = store_->agency(a.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->name, "เทศบาลตำบลบ้านใหม่");
  EXPECT_EQ(found->district, "เมืองเชียงใหม่");
  EXPECT_EQ(found->province, "เชียงใหม่");
  EXPECT_EQ(found->type, "เทศบาลตำบล");

  const auto all = store_->agencies();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, a.id);
  EXPECT_EQ(all[1].name, "องค์การบริหารส่วนตำบลหนองหอย");
  EXPECT_FALSE(store_->agency(b.id + 100));
}

TEST_P(StoreTest, UsersAreFoundByEmailAndIdAndAnEmailIsUnique) {
  const Agency a = make_agency();
  const User officer = make_user("officer@banmai.go.th", Role::Officer, a.id);
  const User admin = make_user("admin@ita.go.th", Role::Admin, std::nullopt);

  const auto by_email = store_->user_by_email("officer@banmai.go.th");
  ASSERT_TRUE(by_email);
  EXPECT_EQ(by_email->id, officer.id);
  EXPECT_EQ(by_email->role, Role::Officer);
  EXPECT_EQ(by_email->agency_id, a.id);
  EXPECT_EQ(by_email->password_hash, officer.password_hash);
  EXPECT_EQ(store_->user_by_email("Officer@BanMai.go.th")->id, officer.id);

  const auto by_id = store_->user(admin.id);
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->email, "admin@ita.go.th");
  EXPECT_EQ(by_id->role, Role::Admin);
  EXPECT_FALSE(by_id->agency_id);
  EXPECT_FALSE(store_->user(admin.id + officer.id + 100));
  EXPECT_FALSE(store_->user_by_email("nobody@ita.go.th"));

  try {
    make_user("officer@banmai.go.th", Role::Viewer, a.id);
    FAIL() << "a duplicate e-mail was accepted";
  } catch (const Conflict& e) {
    EXPECT_NE(std::string(e.what()).find("officer@banmai.go.th"), std::string::npos) << e.what();
  }
  EXPECT_THROW(make_user("OFFICER@banmai.go.th", Role::Viewer, a.id), Conflict);
  EXPECT_THROW(make_user("viewer@banmai.go.th", Role::Viewer, a.id + 100),
               Conflict);  // unknown agency
  EXPECT_EQ(raw_count("users"), 2);
}

TEST_P(StoreTest, SessionsExpireAndCanBeDeleted) {
  const User u = make_user("officer@banmai.go.th", Role::Officer, std::nullopt);
  store_->create_session({"hash-of-cookie-1", u.id, "csrf-1", 2000});

  const auto live = store_->session("hash-of-cookie-1", 1999);
  ASSERT_TRUE(live);
  EXPECT_EQ(live->user_id, u.id);
  EXPECT_EQ(live->csrf_token, "csrf-1");
  EXPECT_EQ(live->expires_at, 2000);

  EXPECT_FALSE(store_->session("hash-of-cookie-1", 2000));
  EXPECT_FALSE(store_->session("hash-of-cookie-1", 1000))
      << "an expired session is dropped for good";
  EXPECT_FALSE(store_->session("unknown", 1000));

  store_->create_session({"hash-of-cookie-2", u.id, "csrf-2", 5000});
  store_->delete_session("hash-of-cookie-2");
  EXPECT_FALSE(store_->session("hash-of-cookie-2", 1000));

  EXPECT_THROW(store_->create_session({"hash-of-cookie-3", u.id + 100, "csrf", 5000}), Conflict);
  store_->create_session({"hash-of-cookie-4", u.id, "csrf-4", 5000});
  EXPECT_THROW(store_->create_session({"hash-of-cookie-4", u.id, "csrf-x", 5000}), Conflict);
}

TEST_P(StoreTest, ApiTokensFindTheirUser) {
  const User u = make_user("robot@ita.go.th", Role::Assessor, std::nullopt);
  store_->create_api_token("token-hash-1", u.id, u.id);
  const auto found = store_->user_by_api_token("token-hash-1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, u.id);
  EXPECT_EQ(found->role, Role::Assessor);
  EXPECT_FALSE(store_->user_by_api_token("token-hash-2"));
  EXPECT_THROW(store_->create_api_token("token-hash-1", u.id, u.id), Conflict);
  EXPECT_THROW(store_->create_api_token("token-hash-3", u.id + 100, u.id), Conflict);
}

TEST(Roles, CodesRoundTrip) {
  for (Role r : {Role::Admin, Role::Officer, Role::Assessor, Role::Viewer})
    EXPECT_EQ(parse_role(role_code(r)), r);
  EXPECT_EQ(role_code(Role::Assessor), "assessor");
  EXPECT_FALSE(parse_role("root"));
  EXPECT_FALSE(parse_role("Admin"));
}

}  // namespace
}  // namespace ita::store

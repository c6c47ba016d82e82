// Agencies, users, sessions and API tokens (src/store/sql_accounts.cpp), on both backends.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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

TEST_P(StoreTest, ApiTokensFindTheirUserUntilTheyExpire) {
  const User u = make_user("robot@ita.go.th", Role::Assessor, std::nullopt);
  const std::int64_t now = unix_now();
  const ApiToken t = store_->create_api_token("token-hash-1", u.id, now + 100, u.id);
  EXPECT_GT(t.id, 0);
  EXPECT_EQ(t.user_id, u.id);
  EXPECT_EQ(t.email, "robot@ita.go.th");
  EXPECT_EQ(t.expires_at, now + 100);
  EXPECT_GE(t.created_at, now);
  EXPECT_FALSE(t.last_used_at);
  const auto found = store_->user_by_api_token("token-hash-1", now);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, u.id);
  EXPECT_EQ(found->role, Role::Assessor);
  EXPECT_FALSE(store_->user_by_api_token("token-hash-1", now + 100)) << "expired";
  EXPECT_FALSE(store_->user_by_api_token("token-hash-2", now));
  EXPECT_THROW(store_->create_api_token("token-hash-1", u.id, now + 100, u.id), Conflict);
  EXPECT_THROW(store_->create_api_token("token-hash-3", u.id + 100, now + 100, u.id), Conflict);
}

TEST_P(StoreTest, ATokensUseIsNotedToTheHourAndItsListingHasNoSecret) {
  const User a = make_user("a@ita.go.th", Role::Admin, std::nullopt);
  const User b = make_user("b@ita.go.th", Role::Viewer, std::nullopt);
  // Ten minutes into the hour, so that "a minute later" stays within it whenever the test runs.
  const std::int64_t now = unix_now() / 3600 * 3600 + 600;
  const ApiToken ta = store_->create_api_token("hash-a", a.id, now + 9000, std::nullopt);
  const ApiToken tb = store_->create_api_token("hash-b", b.id, now + 2000, std::nullopt);
  ASSERT_TRUE(store_->user_by_api_token("hash-a", now));
  const auto all = store_->api_tokens(std::nullopt);
  ASSERT_EQ(all.size(), 2U);
  EXPECT_EQ(all[0].id, ta.id);
  EXPECT_EQ(all[1].id, tb.id);
  EXPECT_EQ(all[0].last_used_at, now - now % 3600);
  EXPECT_FALSE(all[1].last_used_at);
  // A use within the same hour writes nothing; one an hour later does.
  ASSERT_TRUE(store_->user_by_api_token("hash-a", now + 60));
  EXPECT_EQ(store_->api_tokens(a.id).at(0).last_used_at, now - now % 3600);
  ASSERT_TRUE(store_->user_by_api_token("hash-a", now + 3600));
  EXPECT_EQ(store_->api_tokens(a.id).at(0).last_used_at, now + 3600 - (now + 3600) % 3600);
  const auto of_b = store_->api_tokens(b.id);
  ASSERT_EQ(of_b.size(), 1U);
  EXPECT_EQ(of_b[0].email, "b@ita.go.th");
  EXPECT_EQ(of_b[0].expires_at, now + 2000);
}

TEST_P(StoreTest, ARevokedTokenIsGoneAndTheRevocationAudited) {
  const User u = make_user("robot@ita.go.th", Role::Assessor, std::nullopt);
  const std::int64_t now = unix_now();
  const ApiToken t = store_->create_api_token("hash-r", u.id, now + 1000, std::nullopt);
  EXPECT_FALSE(store_->revoke_api_token(t.id + 100, std::nullopt));
  EXPECT_TRUE(store_->revoke_api_token(t.id, u.id));
  EXPECT_FALSE(store_->user_by_api_token("hash-r", now));
  EXPECT_TRUE(store_->api_tokens(std::nullopt).empty());
  EXPECT_FALSE(store_->revoke_api_token(t.id, std::nullopt)) << "only once";
  const auto log = store_->audit_log(1);
  ASSERT_EQ(log.size(), 1U);
  EXPECT_EQ(log[0].action, "api_token.revoke");
  EXPECT_EQ(log[0].target, "user:" + std::to_string(u.id));
  EXPECT_EQ(nlohmann::json::parse(log[0].detail).at("token_id"), t.id);
}

TEST_P(StoreTest, ADisabledUserLosesSessionsAndTokensAtOnce) {
  const User u = make_user("leaver@ita.go.th", Role::Officer, std::nullopt);
  const User other = make_user("stays@ita.go.th", Role::Officer, std::nullopt);
  const std::int64_t now = unix_now();
  store_->create_session({"session-u", u.id, "csrf", now + 3600});
  store_->create_session({"session-other", other.id, "csrf", now + 3600});
  store_->create_api_token("token-u", u.id, now + 3600, std::nullopt);
  EXPECT_FALSE(store_->disable_user(u.id + other.id + 100, now, std::nullopt));
  EXPECT_TRUE(store_->disable_user(u.id, now, std::nullopt));
  EXPECT_FALSE(store_->disable_user(u.id, now + 5, std::nullopt)) << "disabled already";
  EXPECT_FALSE(store_->session("session-u", now));
  EXPECT_TRUE(store_->session("session-other", now));
  EXPECT_FALSE(store_->user_by_api_token("token-u", now));
  EXPECT_EQ(store_->user(u.id)->disabled_at, now);
  EXPECT_EQ(store_->user_by_email("leaver@ita.go.th")->disabled_at, now);
  EXPECT_FALSE(store_->user(other.id)->disabled_at);
  EXPECT_EQ(store_->audit_log(1).at(0).action, "user.disable");
}

TEST_P(StoreTest, ANewPasswordEndsEverySessionButTheOneThatChangedIt) {
  const User u = make_user("officer@ita.go.th", Role::Officer, std::nullopt);
  const std::int64_t now = unix_now();
  for (const char* s : {"s1", "s2", "s3"}) store_->create_session({s, u.id, "csrf", now + 3600});
  EXPECT_FALSE(store_->set_password_hash(u.id + 100, "$argon2id$x", std::nullopt, std::nullopt));
  EXPECT_TRUE(store_->set_password_hash(u.id, "$argon2id$new", std::string("s2"), u.id));
  EXPECT_EQ(store_->user(u.id)->password_hash, "$argon2id$new");
  EXPECT_FALSE(store_->session("s1", now));
  EXPECT_TRUE(store_->session("s2", now));
  EXPECT_FALSE(store_->session("s3", now));
  EXPECT_TRUE(store_->set_password_hash(u.id, "$argon2id$newer", std::nullopt, std::nullopt));
  EXPECT_FALSE(store_->session("s2", now));
  const auto log = store_->audit_log(1);
  EXPECT_EQ(log.at(0).action, "user.password");
  EXPECT_EQ(log.at(0).detail.find("argon2id"), std::string::npos) << "no hash in the log";
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

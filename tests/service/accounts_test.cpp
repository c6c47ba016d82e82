// service/accounts.hpp: the users and API tokens `ita user add` and `ita token create` make.
#include "service/accounts.hpp"

#include <gtest/gtest.h>

#include "fixture.hpp"
#include "service/errors.hpp"
#include "service/secrets.hpp"

namespace ita::testing {
namespace {

class AccountsTest : public ServiceTest {};

TEST(NewUserTest, OfficersAndViewersNeedAnAgencyAndEveryoneATenCharacterPassword) {
  const std::string good = "0123456789";
  EXPECT_NO_THROW(service::check_new_user(store::Role::Admin, std::nullopt, good));
  EXPECT_NO_THROW(service::check_new_user(store::Role::Assessor, std::nullopt, good));
  for (auto role : {store::Role::Officer, store::Role::Viewer}) {
    try {
      service::check_new_user(role, std::nullopt, "short");
      FAIL() << "no agency was accepted";
    } catch (const service::Invalid& e) {
      EXPECT_EQ(std::string(e.what()),
                "--agency is required for the " + store::role_code(role) + " role")
          << "the agency is named before the password";
    }
  }
  try {
    service::check_new_user(store::Role::Officer, 1, "123456789");
    FAIL() << "a 9-character password was accepted";
  } catch (const service::Invalid& e) {
    EXPECT_EQ(std::string(e.what()), "the password must be at least 10 characters");
  }
}

TEST_P(AccountsTest, AnAddedUserSignsInWithThePasswordKeptOnlyAsItsHash) {
  const auto u = service::add_user(*store_, "officer@test", store::Role::Officer, agency_.id,
                                   "a long password");
  EXPECT_GT(u.id, 0);
  const auto stored = store_->user_by_email("officer@test");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->agency_id, agency_.id);
  EXPECT_EQ(stored->password_hash.find("a long password"), std::string::npos);
  EXPECT_TRUE(service::verify_password(stored->password_hash, "a long password"));
  EXPECT_FALSE(service::verify_password(stored->password_hash, "a long passwore"));
}

TEST_P(AccountsTest, AnUnknownAgencyIsNotFoundAndATakenEmailIsTheStoresConflict) {
  try {
    service::add_user(*store_, "v@test", store::Role::Viewer, agency_.id + 50, "0123456789");
    FAIL() << "a user of an unknown agency was added";
  } catch (const service::NotFound& e) {
    EXPECT_EQ(std::string(e.what()), "no agency with id " + std::to_string(agency_.id + 50));
  }
  EXPECT_FALSE(store_->user_by_email("v@test"));
  EXPECT_THROW(
      service::add_user(*store_, "admin@test", store::Role::Admin, std::nullopt, "0123456789"),
      store::Conflict);
}

TEST_P(AccountsTest, ATokenIsPrintedOnceAndStoredOnlyAsItsHash) {
  EXPECT_THROW(service::create_api_token(*store_, "nobody@test"), service::NotFound);
  const std::string token = service::create_api_token(*store_, "admin@test");
  EXPECT_EQ(token.size(), 64U);
  const auto user = store_->user_by_api_token(service::sha256_hex(token));
  ASSERT_TRUE(user);
  EXPECT_EQ(user->id, admin_.id);
  EXPECT_FALSE(store_->user_by_api_token(token)) << "the token itself is not what is stored";
}

ITA_SERVICE_BACKENDS(AccountsTest);

}  // namespace
}  // namespace ita::testing

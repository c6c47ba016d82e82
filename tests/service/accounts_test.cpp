// service/accounts.hpp: e-mail normalisation, the password rule, and the users and API tokens of
// `ita user add|passwd|disable`, `ita token create|list|revoke` and the web's password page.
#include "service/accounts.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "fixture.hpp"
#include "service/errors.hpp"
#include "service/secrets.hpp"

namespace ita::testing {
namespace {

class AccountsTest : public ServiceTest {};

TEST(NewUserTest, OfficersAndViewersNeedAnAgencyAndEveryoneATwelveCharacterPassword) {
  const std::string good = "0123456789ab";
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
    service::check_new_user(store::Role::Officer, 1, "0123456789a");
    FAIL() << "an 11-character password was accepted";
  } catch (const service::Invalid& e) {
    EXPECT_EQ(std::string(e.what()), "the password must be at least 12 characters");
  }
}

TEST(PasswordRuleTest, TwelveCharactersCountedAsLettersNotBytes) {
  EXPECT_EQ(service::password_problem("abcdefghijk"), service::PasswordProblem::TooShort);
  EXPECT_EQ(service::password_problem(""), service::PasswordProblem::TooShort);
  EXPECT_EQ(service::password_problem("abcdefghijkl"), std::nullopt);
  // 11 Thai letters are 33 bytes but 11 characters; 12 are enough.
  EXPECT_EQ(service::password_problem("กขคงจฉชซฌญฎ"), service::PasswordProblem::TooShort);
  EXPECT_EQ(service::password_problem("กขคงจฉชซฌญฎฏ"), std::nullopt);
  EXPECT_EQ(service::password_problem("demo-ita-2567"), std::nullopt) << "the demo's password";
}

TEST(PasswordRuleTest, CommonPasswordsAreRefusedInAnyCase) {
  // Long entries of the bundled list (data/common-passwords.txt), as typed by people.
  for (const char* common : {"1qaz2wsx3edc", "qwerty123456", "password1234", "QWERTY123456",
                             "123456789abc", "whosyourdaddy"}) {
    EXPECT_EQ(service::password_problem(common), service::PasswordProblem::Common) << common;
  }
  try {
    service::check_password("1Qaz2Wsx3Edc");
    FAIL() << "a common password was accepted";
  } catch (const service::Invalid& e) {
    EXPECT_EQ(std::string(e.what()),
              "the password is one of the most common passwords; choose another");
  }
  EXPECT_EQ(service::password_problem("1qaz2wsx3edc!"), std::nullopt) << "not on the list";
  EXPECT_EQ(service::password_problem("# The 30,000 most common passwords, most common first"),
            std::nullopt)
      << "the list's comment lines are not passwords";
}

// The sign-in checks a password against this hash when the address is unknown, so that the reply
// takes as long as for a real user: same algorithm, version, memory, passes and lanes.
TEST(DummyPasswordHashTest, CostsWhatARealHashCostsAndMatchesNothing) {
  service::init_crypto();
  // "$argon2id$v=19$m=65536,t=2,p=1$SALT$HASH" → "$argon2id$v=19$m=65536,t=2,p=1"
  const auto parameters = [](const std::string& hash) {
    std::size_t at = 0;
    for (int field = 0; field < 3 && at != std::string::npos; ++field) at = hash.find('$', at + 1);
    return hash.substr(0, at);
  };
  const std::string& dummy = service::dummy_password_hash();
  ASSERT_EQ(dummy.rfind("$argon2id$", 0), 0U) << dummy;
  const std::string cost = parameters(dummy);
  ASSERT_EQ(cost.substr(cost.rfind('$') + 1, 2), "m=") << cost;
  ASSERT_NE(cost.find(",p="), std::string::npos) << cost;
  EXPECT_EQ(parameters(dummy), parameters(service::hash_password("a long password")));
  EXPECT_FALSE(service::verify_password(dummy, ""));
  EXPECT_FALSE(service::verify_password(dummy, "a long password"));
}

TEST(NormalizeEmailTest, TrimsSpacesAndFoldsUnicodeCase) {
  using service::normalize_email;
  EXPECT_EQ(normalize_email("Viewer@Demo.OpenITA"), "viewer@demo.openita");
  EXPECT_EQ(normalize_email("  viewer@demo.openita\t\r\n"), "viewer@demo.openita");
  // Full-width letters, digits and the at sign, in either case, and an ideographic space.
  EXPECT_EQ(normalize_email("\u3000ＶＩＥＷＥＲ＠ｄｅｍｏ．ｏｐｅｎｉｔａ"), "viewer@demo.openita");
  EXPECT_EQ(normalize_email("ｖｉｅｗｅｒ１@demo.openita"), "viewer1@demo.openita");
  EXPECT_EQ(normalize_email("\u00a0\ufeffa@b\u200b"), "a@b");
  // Inner spaces stay (no address has one: it matches nobody); other scripts are kept as typed.
  EXPECT_EQ(normalize_email("a b@c"), "a b@c");
  EXPECT_EQ(normalize_email("สมชาย@หน่วยงาน.ไทย"), "สมชาย@หน่วยงาน.ไทย");
  // Unicode case folding, not only ASCII: every spelling of one address is one account.
  EXPECT_EQ(normalize_email("ÉLODIE@x"), normalize_email("élodie@x"));
  EXPECT_EQ(normalize_email("E\u0301lodie@x"), normalize_email("Élodie@x")) << "composed or not";
  EXPECT_EQ(normalize_email("STRASSE@x"), normalize_email("straße@x"));
  EXPECT_EQ(normalize_email("ΣΟΦΙΑ@x"), normalize_email("σοφια@x"));
  EXPECT_EQ(normalize_email("a\xff@b"), "a\xff@b") << "bytes that are not UTF-8 are kept";
  EXPECT_EQ(normalize_email("   "), "");
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
    service::add_user(*store_, "v@test", store::Role::Viewer, agency_.id + 50, "0123456789ab");
    FAIL() << "a user of an unknown agency was added";
  } catch (const service::NotFound& e) {
    EXPECT_EQ(std::string(e.what()), "no agency with id " + std::to_string(agency_.id + 50));
  }
  EXPECT_FALSE(store_->user_by_email("v@test"));
  EXPECT_THROW(
      service::add_user(*store_, "admin@test", store::Role::Admin, std::nullopt, "0123456789ab"),
      store::Conflict);
}

TEST_P(AccountsTest, ANewUsersAddressIsStoredNormalised) {
  const auto u = service::add_user(*store_, " Officer@Test.GO.TH ", store::Role::Officer,
                                   agency_.id, "a long password");
  EXPECT_EQ(u.email, "officer@test.go.th");
  EXPECT_EQ(store_->user(u.id)->email, "officer@test.go.th");
  EXPECT_THROW(service::add_user(*store_, "ＯＦＦＩＣＥＲ＠test.go.th", store::Role::Admin,
                                 std::nullopt, "another long password"),
               store::Conflict);
  EXPECT_THROW(
      service::add_user(*store_, " \u3000", store::Role::Admin, std::nullopt, "a long password"),
      service::Invalid);
}

TEST_P(AccountsTest, ATokenIsPrintedOnceStoredOnlyAsItsHashAndExpires) {
  EXPECT_THROW(service::create_api_token(*store_, "nobody@test"), service::NotFound);
  EXPECT_THROW(service::create_api_token(*store_, "admin@test", 0), service::Invalid);
  EXPECT_THROW(service::create_api_token(*store_, "admin@test", 3651), service::Invalid);
  const auto before = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const auto t = service::create_api_token(*store_, "Admin@Test");
  EXPECT_EQ(t.secret.size(), 64U);
  EXPECT_EQ(t.token.user_id, admin_.id);
  EXPECT_GE(t.token.expires_at, before + 90 * 86400);
  EXPECT_LE(t.token.expires_at, before + 90 * 86400 + 60);
  const auto user = store_->user_by_api_token(service::sha256_hex(t.secret), before);
  ASSERT_TRUE(user);
  EXPECT_EQ(user->id, admin_.id);
  EXPECT_FALSE(store_->user_by_api_token(t.secret, before)) << "the token itself is not stored";
  EXPECT_FALSE(store_->user_by_api_token(service::sha256_hex(t.secret), t.token.expires_at));
  const auto week = service::create_api_token(*store_, "admin@test", 7);
  EXPECT_EQ(week.token.expires_at - week.token.created_at, 7 * 86400);
}

TEST_P(AccountsTest, TokensAreListedWithoutSecretsAndRevokedById) {
  const auto viewer =
      service::add_user(*store_, "viewer@test", store::Role::Viewer, agency_.id, "a long password");
  const auto a = service::create_api_token(*store_, "admin@test");
  const auto v = service::create_api_token(*store_, "viewer@test");
  EXPECT_EQ(service::api_tokens(*store_, std::nullopt).size(), 2U);
  const auto mine = service::api_tokens(*store_, std::string("VIEWER@test"));
  ASSERT_EQ(mine.size(), 1U);
  EXPECT_EQ(mine[0].id, v.token.id);
  EXPECT_EQ(mine[0].user_id, viewer.id);
  EXPECT_THROW(service::api_tokens(*store_, std::string("nobody@test")), service::NotFound);
  try {
    service::revoke_api_token(*store_, v.token.id + a.token.id + 10);
    FAIL() << "an unknown token was revoked";
  } catch (const service::NotFound& e) {
    EXPECT_EQ(std::string(e.what()),
              "no API token with id " + std::to_string(v.token.id + a.token.id + 10));
  }
  service::revoke_api_token(*store_, v.token.id);
  EXPECT_FALSE(store_->user_by_api_token(service::sha256_hex(v.secret), v.token.created_at));
  EXPECT_TRUE(store_->user_by_api_token(service::sha256_hex(a.secret), a.token.created_at));
  EXPECT_EQ(store_->audit_log(1).at(0).action, "api_token.revoke");
}

TEST_P(AccountsTest, ANewPasswordFollowsTheRuleAndEndsSessions) {
  const auto u = service::add_user(*store_, "officer@test", store::Role::Officer, agency_.id,
                                   "the first password");
  store_->create_session({"session-hash", u.id, "csrf", 4102444800});
  EXPECT_THROW(service::set_password(*store_, "officer@test", "short"), service::Invalid);
  EXPECT_THROW(service::set_password(*store_, "officer@test", "qwerty123456"), service::Invalid);
  EXPECT_TRUE(service::verify_password(store_->user(u.id)->password_hash, "the first password"))
      << "a refused password changes nothing";
  EXPECT_TRUE(store_->session("session-hash", 0));
  EXPECT_THROW(service::set_password(*store_, "nobody@test", "a second password"),
               service::NotFound);
  service::set_password(*store_, " Officer@TEST", "a second password");
  EXPECT_TRUE(service::verify_password(store_->user(u.id)->password_hash, "a second password"));
  EXPECT_FALSE(store_->session("session-hash", 0));
  EXPECT_EQ(store_->audit_log(1).at(0).action, "user.password");
}

TEST_P(AccountsTest, TheOwnPasswordChangeNeedsTheCurrentOneAndKeepsThisSession) {
  const auto u = service::add_user(*store_, "officer@test", store::Role::Officer, agency_.id,
                                   "the first password");
  store_->create_session({"this-session", u.id, "csrf", 4102444800});
  store_->create_session({"other-device", u.id, "csrf", 4102444800});
  using service::OwnPasswordChange;
  EXPECT_EQ(service::change_own_password(*store_, u, "wrong", "a second password", "this-session"),
            OwnPasswordChange::WrongCurrent);
  EXPECT_EQ(
      service::change_own_password(*store_, u, "the first password", "too short", "this-session"),
      OwnPasswordChange::TooShort);
  EXPECT_EQ(service::change_own_password(*store_, u, "the first password", "Password1234",
                                         "this-session"),
            OwnPasswordChange::Common);
  EXPECT_TRUE(store_->session("other-device", 0)) << "nothing changed yet";
  EXPECT_EQ(service::change_own_password(*store_, u, "the first password", "a second password",
                                         "this-session"),
            OwnPasswordChange::Changed);
  EXPECT_TRUE(service::verify_password(store_->user(u.id)->password_hash, "a second password"));
  EXPECT_TRUE(store_->session("this-session", 0));
  EXPECT_FALSE(store_->session("other-device", 0));
  EXPECT_EQ(store_->audit_log(1).at(0).user_id, u.id);
}

TEST_P(AccountsTest, ADisabledUserCannotBeDisabledAgainNorGetATokenButKeepsTheirData) {
  const auto u = service::add_user(*store_, "leaver@test", store::Role::Officer, agency_.id,
                                   "a long password");
  const auto t = service::create_api_token(*store_, "leaver@test");
  store_->create_session({"leaver-session", u.id, "csrf", 4102444800});
  EXPECT_THROW(service::disable_user(*store_, "nobody@test"), service::NotFound);
  service::disable_user(*store_, "Leaver@Test");
  EXPECT_TRUE(store_->user(u.id)->disabled_at);
  EXPECT_FALSE(store_->session("leaver-session", 0));
  EXPECT_FALSE(store_->user_by_api_token(service::sha256_hex(t.secret), t.token.created_at));
  EXPECT_EQ(service::api_tokens(*store_, std::string("leaver@test")).size(), 1U)
      << "the token is still listed (and can be revoked)";
  EXPECT_THROW(service::disable_user(*store_, "leaver@test"), service::Refused);
  EXPECT_THROW(service::create_api_token(*store_, "leaver@test"), service::Refused);
  const auto log = store_->audit_log(1);
  EXPECT_EQ(log.at(0).action, "user.disable");
  EXPECT_FALSE(log.at(0).user_id) << "from the command line: no acting user";
}

ITA_SERVICE_BACKENDS(AccountsTest);

}  // namespace
}  // namespace ita::testing

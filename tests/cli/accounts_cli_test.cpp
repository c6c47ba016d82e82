// `ita user add|passwd|disable` and `ita token create|list|revoke` (cli/web_commands.cpp), the real
// binary on a fresh database of each backend: exit codes, messages, no secret printed twice, and
// the audit log of each change.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/thai.hpp"
#include "service/secrets.hpp"
#include "store/store.hpp"
#include "support/run_ita.hpp"
#include "web/test_databases.hpp"

namespace ita {
namespace {

using testing::CmdRun;

class AccountsCli : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = testing::make_test_database(
        GetParam(), ::testing::UnitTest::GetInstance()->current_test_info()->name());
    if (db_.url.empty()) GTEST_SKIP() << db_.skip_reason;
    service::init_crypto();
    stdin_ = std::filesystem::temp_directory_path() /
             ("ita-accounts-cli-" + std::to_string(::getpid()) + ".txt");
    ASSERT_EQ(add_user("admin@test", "admin", "the admin password").code, 0);
  }

  void TearDown() override {
    std::filesystem::remove(stdin_);
    testing::drop_test_database(db_);
  }

  // `ita ARGS --db URL`, with `input` as standard input.
  CmdRun ita(const std::string& args, const std::string& input = "") {
    std::ofstream(stdin_) << input;
    return testing::run_ita(args + " --db '" + db_.url + "' < " + stdin_.string());
  }

  CmdRun add_user(const std::string& email, const std::string& role, const std::string& password) {
    return ita("user add " + email + " --role " + role + " --password-stdin", password + "\n");
  }

  std::unique_ptr<store::Store> store() { return store::open_store(db_.url); }

  testing::TestDatabase db_;
  std::filesystem::path stdin_;
};

TEST_P(AccountsCli, UserAddAndPasswdKeepThePasswordRule) {
  const CmdRun short_one = add_user("officer@test", "assessor", "eleven char");
  EXPECT_EQ(short_one.code, 2);
  EXPECT_EQ(short_one.err, "ita: error: the password must be at least 12 characters\n");
  const CmdRun common = add_user("officer@test", "assessor", "Qwerty123456");
  EXPECT_EQ(common.code, 2);
  EXPECT_NE(common.err.find("most common passwords"), std::string::npos) << common.err;
  EXPECT_FALSE(store()->user_by_email("officer@test")) << "nothing stored";

  EXPECT_EQ(ita("user passwd admin@test", "short\n").code, 2);
  const CmdRun unknown = ita("user passwd nobody@test", "a long new password\n");
  EXPECT_EQ(unknown.code, 2);
  EXPECT_EQ(unknown.err, "ita: error: no user with e-mail nobody@test\n");
  const auto s = store();
  const auto admin = *s->user_by_email("admin@test");
  s->create_session({"a-session", admin.id, "csrf", 4102444800});
  const CmdRun changed = ita("user passwd Admin@Test --password-stdin", "a long new password\r\n");
  ASSERT_EQ(changed.code, 0) << changed.err;
  EXPECT_EQ(changed.out, "password of Admin@Test changed; their sessions have ended\n");
  EXPECT_TRUE(service::verify_password(s->user(admin.id)->password_hash, "a long new password"));
  EXPECT_FALSE(s->session("a-session", 0));
  const auto log = s->audit_log(1);
  EXPECT_EQ(log.at(0).action, "user.password");
  EXPECT_FALSE(log.at(0).user_id);
}

TEST_P(AccountsCli, ADisabledUserCannotSignInOrGetATokenAndIsDisabledOnce) {
  ASSERT_EQ(add_user("leaver@test", "assessor", "the leaver's password").code, 0);
  const CmdRun token = ita("token create --user leaver@test");
  ASSERT_EQ(token.code, 0) << token.err;
  const CmdRun disabled = ita("user disable leaver@test");
  ASSERT_EQ(disabled.code, 0) << disabled.err;
  EXPECT_EQ(
      disabled.out,
      "user leaver@test disabled: no sign-in, their sessions and API tokens no longer work\n");
  const auto s = store();
  EXPECT_TRUE(s->user_by_email("leaver@test")->disabled_at);
  EXPECT_FALSE(s->user_by_api_token(service::sha256_hex(token.out.substr(0, 64)), 0));
  EXPECT_EQ(s->audit_log(1).at(0).action, "user.disable");
  const CmdRun again = ita("user disable LEAVER@test");
  EXPECT_EQ(again.code, 2);
  EXPECT_EQ(again.err, "ita: error: user leaver@test is disabled already\n");
  EXPECT_EQ(ita("token create --user leaver@test").code, 2);
  EXPECT_EQ(ita("user disable nobody@test").code, 2);
}

TEST_P(AccountsCli, TokensExpireAreListedWithoutSecretsAndRevokedById) {
  const CmdRun made = ita("token create --user admin@test --days 7");
  ASSERT_EQ(made.code, 0) << made.err;
  ASSERT_EQ(made.out.size(), 65U) << "the secret alone on standard output";
  const std::string secret = made.out.substr(0, 64);
  EXPECT_EQ(made.err.rfind("API token ", 0), 0U) << made.err;
  const auto s = store();
  const auto tokens = s->api_tokens(std::nullopt);
  ASSERT_EQ(tokens.size(), 1U);
  EXPECT_EQ(tokens[0].expires_at - tokens[0].created_at, 7 * 86400);
  EXPECT_NE(made.err.find("API token " + std::to_string(tokens[0].id) + " for admin@test"),
            std::string::npos);
  EXPECT_EQ(ita("token create --user admin@test --days 0").code, 2);
  EXPECT_EQ(ita("token create --user admin@test --days 3651").code, 2);
  const CmdRun default_days = ita("token create --user admin@test");
  ASSERT_EQ(default_days.code, 0);
  const auto both = s->api_tokens(std::nullopt);
  ASSERT_EQ(both.size(), 2U);
  EXPECT_EQ(both[1].expires_at - both[1].created_at, 90 * 86400);

  ASSERT_EQ(add_user("viewer@test", "assessor", "the viewer's password").code, 0);
  const CmdRun list = ita("token list");
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_EQ(list.out.rfind("id    user", 0), 0U) << list.out;
  EXPECT_NE(list.out.find("admin@test"), std::string::npos);
  EXPECT_NE(list.out.find("never"), std::string::npos);
  // Times as a person in Thailand reads them: Buddhist Era year, Thailand's clock.
  {
    namespace chr = std::chrono;
    const chr::sys_seconds expires{chr::seconds(tokens[0].expires_at) + chr::hours(7)};
    const auto day = chr::floor<chr::days>(expires);
    const chr::hh_mm_ss clock{expires - day};
    char hm[8];
    std::snprintf(hm, sizeof hm, "%02d:%02d", static_cast<int>(clock.hours().count()),
                  static_cast<int>(clock.minutes().count()));
    const std::string shown = format_be_date(chr::year_month_day{day}) + " " + hm;
    EXPECT_NE(list.out.find(shown), std::string::npos) << shown << "\n" << list.out;
    EXPECT_NE(list.out.find("/25"), std::string::npos) << "a Buddhist Era year";
  }
  for (const std::string& secret_text :
       {secret, service::sha256_hex(secret), default_days.out.substr(0, 64)}) {
    EXPECT_EQ(list.out.find(secret_text), std::string::npos) << "a secret was printed";
    EXPECT_EQ(list.out.find(secret_text.substr(0, 8)), std::string::npos);
  }
  EXPECT_EQ(ita("token list viewer@test").out, "no API tokens\n");
  EXPECT_EQ(ita("token list nobody@test").code, 2);

  const CmdRun revoked = ita("token revoke " + std::to_string(tokens[0].id));
  ASSERT_EQ(revoked.code, 0) << revoked.err;
  EXPECT_EQ(revoked.out, "API token " + std::to_string(tokens[0].id) + " revoked\n");
  EXPECT_FALSE(s->user_by_api_token(service::sha256_hex(secret), 0));
  EXPECT_EQ(s->api_tokens(std::nullopt).size(), 1U);
  const CmdRun twice = ita("token revoke " + std::to_string(tokens[0].id));
  EXPECT_EQ(twice.code, 2);
  EXPECT_EQ(twice.err, "ita: error: no API token with id " + std::to_string(tokens[0].id) + "\n");
  EXPECT_EQ(ita("token revoke 0").code, 2);

  std::set<std::string> actions;
  for (const auto& e : s->audit_log(20)) {
    actions.insert(e.action);
    if (e.action.starts_with("api_token.")) {
      EXPECT_FALSE(e.user_id) << e.action;
    }
  }
  EXPECT_TRUE(actions.contains("api_token.create"));
  EXPECT_TRUE(actions.contains("api_token.revoke"));
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountsCli, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace ita

#include "store/postgres/postgres_maintenance.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <sstream>

#include "io/atomic_file.hpp"
#include "store/migrations.hpp"

extern char** environ;

namespace ita::store::postgres {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMostErrorText = 2000;  // of a program's standard error, in a message

// A connection's parameters from a libpq URL: the password apart, the rest as a conninfo string.
struct Target {
  std::map<std::string, std::string> values;
  std::string password;
  std::string conninfo;
};

std::string quoted_value(const std::string& value) {
  std::string out = "'";
  for (const char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

Target parse_target(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    std::string why = error ? error : "out of memory";
    PQfreemem(error);
    while (!why.empty() && why.back() == '\n') why.pop_back();
    throw StoreError("the PostgreSQL URL cannot be read: " + why);
  }
  Target t;
  for (const PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val != nullptr && *o->val != '\0') t.values[o->keyword] = o->val;
  }
  PQconninfoFree(options);
  if (const auto it = t.values.find("password"); it != t.values.end()) {
    t.password = it->second;
    t.values.erase(it);
    t.values.erase("passfile");  // ours takes its place
  }
  for (const auto& [key, value] : t.values)
    t.conninfo += (t.conninfo.empty() ? "" : " ") + key + "=" + quoted_value(value);
  return t;
}

// A private temporary passfile ("*:*:*:*:PASSWORD", mode 0600) for pg_dump and pg_restore,
// removed when destroyed; none without a password.
class PassFile {
 public:
  explicit PassFile(const std::string& password) {
    if (password.empty()) return;
    path_ = (fs::temp_directory_path() / "ita-pgpass-XXXXXX").string();
    const int fd = ::mkostemp(path_.data(), O_CLOEXEC);
    if (fd < 0) throw StoreError(std::string("creating a passfile: ") + std::strerror(errno));
    std::string line = "*:*:*:*:";
    for (const char c : password) {
      if (c == ':' || c == '\\') line += '\\';
      line += c;
    }
    line += '\n';
    const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    ::close(fd);
    if (!written) {
      ::unlink(path_.c_str());
      throw StoreError("writing a passfile in " + fs::temp_directory_path().string());
    }
  }
  ~PassFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  PassFile(const PassFile&) = delete;
  PassFile& operator=(const PassFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// An unnamed temporary file a child process writes its output into.
class Capture {
 public:
  Capture() {
    std::string path = (fs::temp_directory_path() / "ita-output-XXXXXX").string();
    fd_ = ::mkostemp(path.data(), O_CLOEXEC);
    if (fd_ < 0)
      throw StoreError(std::string("creating a temporary file: ") + std::strerror(errno));
    ::unlink(path.c_str());
  }
  ~Capture() { ::close(fd_); }
  Capture(const Capture&) = delete;
  Capture& operator=(const Capture&) = delete;
  int fd() const { return fd_; }
  std::string text() const {
    std::string out;
    char buffer[16 * 1024];
    ::lseek(fd_, 0, SEEK_SET);
    for (ssize_t n = 0; (n = ::read(fd_, buffer, sizeof buffer)) > 0;)
      out.append(buffer, static_cast<std::size_t>(n));
    return out;
  }

 private:
  int fd_ = -1;
};

// This process's environment, with the passfile (when there is one) in place of any password.
std::vector<std::string> child_environment(const PassFile& pass) {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    if (!pass.path().empty() &&
        (entry.starts_with("PGPASSWORD=") || entry.starts_with("PGPASSFILE=")))
      continue;
    env.emplace_back(entry);
  }
  if (!pass.path().empty()) env.push_back("PGPASSFILE=" + pass.path());
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& texts) {
  std::vector<char*> out;
  for (auto& t : texts) out.push_back(t.data());
  out.push_back(nullptr);
  return out;
}

struct ProgramRun {
  int status = -1;
  std::string out;
  std::string err;
};

// Runs `program` of the folder `bin` (empty: found on PATH) with `args`: no shell, standard
// input /dev/null, standard output and error captured. StoreError when it cannot be started.
ProgramRun run_program(const std::string& bin, const std::string& program,
                       const std::vector<std::string>& args, const PassFile& pass) {
  const std::string path = bin.empty() ? program : (fs::path(bin) / program).string();
  std::vector<std::string> argv_texts{path};
  argv_texts.insert(argv_texts.end(), args.begin(), args.end());
  std::vector<std::string> env_texts = child_environment(pass);
  std::vector<char*> argv = pointers(argv_texts), envp = pointers(env_texts);
  Capture out, err;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out.fd(), 1);
  posix_spawn_file_actions_adddup2(&actions, err.fd(), 2);
  pid_t pid = 0;
  const int rc =
      bin.empty() ? ::posix_spawnp(&pid, path.c_str(), &actions, nullptr, argv.data(), envp.data())
                  : ::posix_spawn(&pid, path.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    throw StoreError(
        "cannot run " + path + ": " + std::strerror(rc) +
        (bin.empty() ? " (install the PostgreSQL client programs, or give --pg-bin DIR)" : ""));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ProgramRun run;
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.out = out.text();
  run.err = err.text();
  return run;
}

// run_program, and a StoreError of `op` with the program's own message when it fails.
ProgramRun run_tool(std::string_view op, const std::string& bin, const std::string& program,
                    const std::vector<std::string>& args, const PassFile& pass) {
  ProgramRun run = run_program(bin, program, args, pass);
  if (run.status != 0) {
    std::string why = run.err.size() > kMostErrorText ? run.err.substr(0, kMostErrorText) : run.err;
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    throw StoreError(std::string(op) + ": " + program + " failed (exit " +
                     std::to_string(run.status) + "): " + why);
  }
  return run;
}

std::string identifier(Handle& db, const std::string& name) {
  char* quoted = PQescapeIdentifier(db.get(), name.data(), name.size());
  if (quoted == nullptr) db.fail("quote", nullptr);
  std::string out = quoted;
  PQfreemem(quoted);
  return out;
}

std::vector<std::string> first_column(const Result& r) {
  std::vector<std::string> out;
  for (int row = 0; row < PQntuples(r.get()); ++row) out.emplace_back(PQgetvalue(r.get(), row, 0));
  return out;
}

// Runs `sql` in a savepoint; its failure's text (the savepoint rolled back), or nothing.
std::optional<std::string> failure_of(Handle& db, const std::string& sql) {
  db.exec("check", "SAVEPOINT ita_check");
  try {
    db.exec("check", sql);
    db.exec("check", "RELEASE SAVEPOINT ita_check");
    return std::nullopt;
  } catch (const StoreError& e) {
    db.exec("check", "ROLLBACK TO SAVEPOINT ita_check");
    db.exec("check", "RELEASE SAVEPOINT ita_check");
    return e.what();
  }
}

// The schema of amcheck's functions, quoted, when it is installed and this user may run them.
std::optional<std::string> amcheck_schema(Handle& db) {
  const auto schemas = first_column(
      db.exec("check",
              "SELECT quote_ident(n.nspname) FROM pg_extension e JOIN pg_namespace n ON n.oid = "
              "e.extnamespace WHERE e.extname = 'amcheck'"));
  if (schemas.empty()) return std::nullopt;
  const std::string function = schemas.front() + ".bt_index_check(regclass, boolean)";
  const auto allowed = first_column(
      db.exec("check", "SELECT has_function_privilege(" + db.literal(function) + ", 'EXECUTE')"));
  if (allowed.empty() || allowed.front() != "t") return std::nullopt;
  return schemas.front();
}

DatabaseSummary read_summary(Handle& db) {
  const Result r = db.exec("summary", detail::kSummarySql);
  DatabaseSummary summary;
  summary.schema_version = static_cast<int>(parse_integer(PQgetvalue(r.get(), 0, 0)));
  summary.agencies = parse_integer(PQgetvalue(r.get(), 0, 1));
  summary.rounds = parse_integer(PQgetvalue(r.get(), 0, 2));
  summary.responses = parse_integer(PQgetvalue(r.get(), 0, 3));
  return summary;
}

std::int64_t single_integer(Handle& db, const std::string& sql) {
  return parse_integer(PQgetvalue(db.exec("restore", sql).get(), 0, 0));
}

// Refuses to replace a database holding rows of agencies, users, rounds or responses, or tables
// of something other than OpenITA.
void refuse_if_holds_data(Handle& db) {
  std::string what;
  if (!has_table(db, "schema_version")) {
    if (single_integer(db,
                       "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = "
                       "c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN "
                       "('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'") >
        0)
      what = "tables that are not OpenITA's";
  } else {
    const DatabaseSummary s = read_summary(db);
    const std::int64_t users = single_integer(db, "SELECT count(*) FROM users");
    if (s.agencies + s.rounds + s.responses + users > 0) {
      what = std::to_string(s.agencies) + " agencies, " + std::to_string(users) + " users, " +
             std::to_string(s.rounds) + " rounds, " + std::to_string(s.responses) + " responses";
    }
  }
  if (!what.empty()) {
    throw Conflict("restore: the " + db.where() + " is not empty (" + what +
                   "); give --force to replace it");
  }
}

// The schema version of a pg_dump archive: the largest version of its schema_version rows.
int archive_schema_version(const std::string& bin, const std::string& file, const PassFile& pass) {
  const ProgramRun run =
      run_tool("restore: reading " + file, bin, "pg_restore",
               {"--data-only", "--table=schema_version", "--file=-", file}, pass);
  std::istringstream in(run.out);
  bool found = false, copying = false;
  int version = 0;
  for (std::string line; std::getline(in, line);) {
    if (!copying) {
      copying = line.starts_with("COPY ") && line.find("schema_version") != std::string::npos;
      found = found || copying;
    } else if (line == "\\.") {
      copying = false;
    } else {
      version = std::max(version, std::atoi(line.c_str()));  // the first column
    }
  }
  if (!found) {
    throw StoreError("restore: " + file +
                     " is not a backup of an OpenITA database: it has no schema_version rows");
  }
  return version;
}

bool non_empty_file(const std::string& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  return !ec && size > 0;
}

}  // namespace

std::vector<std::string> storage_problems(Handle& db, bool quick) {
  std::vector<std::string> problems;
  if (quick) return problems;
  const auto tables = first_column(db.exec(
      "check",
      "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE "
      "c.relkind IN ('r', 'p') AND n.nspname = current_schema() ORDER BY 1"));
  for (const auto& table : tables) {
    // Every column of every row, as text: TOAST included.
    const auto failure = failure_of(db, "SELECT count(*), COALESCE(sum(length(t::text)), 0) FROM " +
                                            identifier(db, table) + " t");
    if (failure) problems.push_back("PostgreSQL: table " + table + " cannot be read: " + *failure);
  }
  const auto amcheck = amcheck_schema(db);
  if (!amcheck) return problems;
  const Result indexes = db.exec(
      "check",
      "SELECT c.relname, c.oid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN "
      "pg_namespace n ON n.oid = c.relnamespace JOIN pg_am a ON a.oid = c.relam WHERE a.amname "
      "= 'btree' AND n.nspname = current_schema() ORDER BY 1");
  for (int row = 0; row < PQntuples(indexes.get()); ++row) {
    const std::string name = PQgetvalue(indexes.get(), row, 0);
    const std::string oid = PQgetvalue(indexes.get(), row, 1);
    const auto failure =
        failure_of(db, "SELECT " + *amcheck + ".bt_index_check(" + oid + "::regclass, true)");
    if (failure) problems.push_back("PostgreSQL amcheck: index " + name + ": " + *failure);
  }
  return problems;
}

bool has_table(Handle& db, const std::string& name) {
  const Result r = db.exec("has_table", "SELECT to_regclass(" + db.literal(name) + ") IS NOT NULL");
  return std::string_view(PQgetvalue(r.get(), 0, 0)) == "t";
}

DatabaseSummary backup(const std::string& url, const std::string& file, const std::string& bin) {
  Handle db(url, {});
  if (!has_table(db, "schema_version"))
    throw StoreError("backup: the " + db.where() + " is not an OpenITA database");
  // pg_dump reads the snapshot the summary is read in: exported by this transaction, which
  // stays open until pg_dump is done.
  db.exec("backup", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  const std::string snapshot =
      PQgetvalue(db.exec("backup", "SELECT pg_export_snapshot()").get(), 0, 0);
  DatabaseSummary summary = read_summary(db);
  const Target target = parse_target(url);
  const PassFile pass(target.password);
  io::AtomicFile out(file);
  out.close_fd();
  detail::keep_private(out.temp_path());
  run_tool("backup", bin, "pg_dump",
           {"--format=custom", "--no-owner", "--no-privileges", "--no-password",
            "--snapshot=" + snapshot, "--file=" + out.temp_path(), "--dbname=" + target.conninfo},
           pass);
  db.exec_quietly("COMMIT");
  run_tool("backup: reading back the archive", bin, "pg_restore", {"--list", out.temp_path()},
           pass);
  out.commit();
  detail::sync_folder(file);
  summary.file = file;
  summary.bytes = fs::file_size(file);
  return summary;
}

DatabaseSummary restore(const std::string& url, const std::string& file, const std::string& bin,
                        bool force) {
  if (!non_empty_file(file)) throw StoreError("restore: there is no backup file " + file);
  const Target target = parse_target(url);
  const PassFile pass(target.password);
  const int version = archive_schema_version(bin, file, pass);
  const auto& migrations = postgres_migrations();
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  if (version > latest) {
    throw Conflict("restore: the backup " + file + " is at schema version " +
                   std::to_string(version) + ", newer than this OpenITA knows (" +
                   std::to_string(latest) +
                   "); restore it with the OpenITA that wrote it, or a newer one");
  }
  if (!force) {
    Handle db(url, {});
    refuse_if_holds_data(db);
  }
  run_tool("restore", bin, "pg_restore",
           {"--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error",
            "--single-transaction", "--no-password", "--dbname=" + target.conninfo, file},
           pass);
  Handle db(url, {});
  DatabaseSummary summary = read_summary(db);
  summary.file = file;
  summary.bytes = fs::file_size(file);
  return summary;
}

std::string describe(const std::string& url) {
  const Target t = parse_target(url);
  const auto value = [&](const char* key, const char* otherwise) {
    const auto it = t.values.find(key);
    return it == t.values.end() ? std::string(otherwise) : it->second;
  };
  return "PostgreSQL database " + value("dbname", "?") + " on " + value("host", "localhost") + ":" +
         value("port", "5432");
}

}  // namespace ita::store::postgres

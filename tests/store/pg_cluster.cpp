#include "pg_cluster.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <vector>

extern char** environ;

namespace ita::test {
namespace {

namespace fs = std::filesystem;

bool running_as_root() {
  return geteuid() == 0;
}

bool has_server_binaries(const fs::path& bin) {
  return fs::exists(bin / "initdb") && fs::exists(bin / "pg_ctl");
}

// $ITA_PG_BIN when set, else the newest /usr/lib/postgresql/N/bin holding initdb; "" if none.
std::string find_bin_dir() {
  if (const char* env = std::getenv("ITA_PG_BIN"); env && *env)
    return has_server_binaries(env) ? env : "";
  std::string best;
  int best_version = -1;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const fs::path bin = entry.path() / "bin";
    if (!has_server_binaries(bin)) continue;
    const int version = std::atoi(entry.path().filename().c_str());
    if (version > best_version) {
      best_version = version;
      best = bin.string();
    }
  }
  return best;
}

// Runs a command (as the postgres user when we are root: initdb refuses root), its output
// appended to `log`. Returns the exit status.
int run_command(std::vector<std::string> args, const std::string& log) {
  if (running_as_root()) args.insert(args.begin(), {"runuser", "-u", "postgres", "--"});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + args[0] + ": " + std::strerror(rc));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool port_is_free(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool free = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return free;
}

int random_free_port() {
  std::mt19937 pick(std::random_device{}());
  std::uniform_int_distribution<int> ports(20000, 60000);
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int port = ports(pick);
    if (port_is_free(port)) return port;
  }
  throw std::runtime_error("no free TCP port found in 20000-60000");
}

std::unique_ptr<PgCluster>& shared_cluster() {
  static std::unique_ptr<PgCluster> cluster;
  return cluster;
}

// Stops the shared cluster after the last test.
class StopClusterAtEnd : public testing::Environment {
 public:
  void TearDown() override { PgCluster::stop_shared(); }
};
[[maybe_unused]] testing::Environment* const stop_cluster_at_end =
    testing::AddGlobalTestEnvironment(new StopClusterAtEnd);

}  // namespace

bool postgres_required() {
  const char* env = std::getenv("ITA_REQUIRE_POSTGRES");
  return env && std::string(env) == "1";
}

PgCluster* PgCluster::shared(std::string& why) {
  auto& cluster = shared_cluster();
  if (cluster) return cluster.get();
  const std::string bin = find_bin_dir();
  if (bin.empty()) {
    why =
        "the PostgreSQL server binaries (initdb, pg_ctl) are not in $ITA_PG_BIN, or else in "
        "/usr/lib/postgresql/*/bin; install postgresql-15";
    return nullptr;
  }
  std::string pattern = (fs::temp_directory_path() / "ita-pg-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr)
    throw std::runtime_error("mkdtemp failed: " + std::string(std::strerror(errno)));
  cluster.reset(new PgCluster(bin, pattern));
  cluster->start();
  return cluster.get();
}

void PgCluster::stop_shared() {
  shared_cluster().reset();
}

PgCluster::PgCluster(std::string bin_dir, std::string dir)
    : bin_(std::move(bin_dir)), dir_(std::move(dir)) {}

PgCluster::~PgCluster() {
  stop();
}

void PgCluster::start() {
  if (running_as_root()) {
    const passwd* pg = getpwnam("postgres");
    if (pg == nullptr)
      throw std::runtime_error("running as root, but there is no 'postgres' user to run initdb as");
    if (chown(dir_.c_str(), pg->pw_uid, pg->pw_gid) != 0)
      throw std::runtime_error("chown " + dir_ + " failed");
  }
  const std::string log = dir_ + "/commands.log";
  if (run_command({bin_ + "/initdb", "-D", dir_ + "/data", "-U", "ita", "-A", "trust", "-E", "UTF8",
                   "--locale=C.UTF-8", "--no-sync", "--no-instructions"},
                  log) != 0) {
    throw std::runtime_error("initdb failed:\n" + read_file(log));
  }

  // The watchdog waits for its stdin to close — when this process ends, however it ends — and
  // then stops the cluster and removes the folder. Our end of the pipe is close-on-exec, so
  // only this process holds it.
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  std::string script = "cat >/dev/null; ";
  script += running_as_root() ? "runuser -u postgres -- " : "";
  script += "\"$1/pg_ctl\" -D \"$2/data\" -m immediate -w stop >/dev/null 2>&1; rm -rf \"$2\"";
  std::vector<std::string> args = {"/bin/sh", "-c", script, "pg-watchdog", bin_, dir_};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[0], 0);
  pid_t watchdog = 0;
  const int rc = posix_spawn(&watchdog, "/bin/sh", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[0]);
  if (rc != 0) {
    close(pipe_fds[1]);
    throw std::runtime_error("cannot start the cluster watchdog");
  }
  watchdog_pipe_ = pipe_fds[1];

  for (int attempt = 0; attempt < 5 && !running_; ++attempt) {
    port_ = random_free_port();
    const std::string options =
        "-p " + std::to_string(port_) + " -k " + dir_ +
        " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
        " -c full_page_writes=off -c shared_buffers=16MB -c max_connections=50";
    running_ = run_command({bin_ + "/pg_ctl", "-D", dir_ + "/data", "-l", dir_ + "/server.log",
                            "-w", "-t", "60", "-o", options, "start"},
                           log) == 0;
  }
  if (!running_)
    throw std::runtime_error("pg_ctl start failed:\n" + read_file(dir_ + "/server.log"));
}

void PgCluster::stop() {
  if (running_) {
    run_command({bin_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "fast", "-w", "stop"}, "/dev/null");
    running_ = false;
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
  if (watchdog_pipe_ >= 0) close(watchdog_pipe_);
  watchdog_pipe_ = -1;
}

namespace {

// Runs one statement on `database`; the statements here are built from our own counters and
// names, never from input.
void admin_exec(int port, const std::string& database, const std::string& statement) {
  const std::string url = "postgresql://ita@127.0.0.1:" + std::to_string(port) + "/" + database;
  PGconn* conn = PQconnectdb(url.c_str());
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    PGresult* r = PQexec(conn, statement.c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK) error = PQresultErrorMessage(r);
    PQclear(r);
  }
  PQfinish(conn);
  if (!error.empty()) throw std::runtime_error(statement + " on the test cluster failed: " + error);
}

constexpr const char* kDatabase = "store_tests";

}  // namespace

std::string PgCluster::fresh_database_url() {
  if (schemas_ == 0) admin_exec(port_, "postgres", std::string("CREATE DATABASE ") + kDatabase);
  const std::string schema = "test_" + std::to_string(++schemas_);
  admin_exec(port_, kDatabase, "CREATE SCHEMA " + schema);
  return "postgresql://ita@127.0.0.1:" + std::to_string(port_) + "/" + kDatabase +
         "?options=-csearch_path%3D" + schema;
}

std::string PgCluster::fresh_whole_database_url() {
  const std::string database = "whole_" + std::to_string(++databases_);
  admin_exec(port_, "postgres", "CREATE DATABASE " + database);
  return "postgresql://ita@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

}  // namespace ita::test

#pragma once
// A throwaway PostgreSQL cluster for the store tests: initdb in a temporary folder, started on
// a random free port (20000–60000, unix socket in the same folder, fsync off), stopped and
// removed when the test program ends — or, if it dies, by a watchdog process.
//
// One cluster per test process, with one database; each test gets its own fresh schema in it
// (through search_path in the URL): CREATE SCHEMA is instant where CREATE DATABASE copies a
// template (~0.25 s here).
#include <memory>
#include <string>

namespace ita::test {

class PgCluster {
 public:
  // The cluster of this process, started on first use. nullptr when the PostgreSQL server
  // binaries are missing (`why` says where they were looked for); throws when they are there
  // but the cluster does not start.
  static PgCluster* shared(std::string& why);
  // Stops the shared cluster, if one was started.
  static void stop_shared();

  // Creates a new empty schema and returns a libpq URL whose search_path is that schema.
  std::string fresh_database_url();
  // Creates a new empty database and returns its libpq URL: for what works on whole databases
  // (pg_dump, pg_restore).
  std::string fresh_whole_database_url();
  // The folder of the server's programs (initdb, pg_ctl, pg_dump, pg_restore).
  const std::string& bin_dir() const { return bin_; }

  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;
  ~PgCluster();

 private:
  PgCluster(std::string bin_dir, std::string dir);
  void start();
  void stop();

  std::string bin_;  // folder of initdb, pg_ctl
  std::string dir_;  // the temporary folder: data/, socket, logs
  int port_ = 0;
  int watchdog_pipe_ = -1;  // closing it (even by dying) tells the watchdog to clean up
  int schemas_ = 0;
  int databases_ = 0;
  bool running_ = false;
};

// True when ITA_REQUIRE_POSTGRES=1: missing PostgreSQL binaries then fail the tests.
bool postgres_required();

}  // namespace ita::test

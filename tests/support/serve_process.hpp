#pragma once
// The real `ita serve` (ITA_BINARY, defined by the test target) in a child process, for tests that
// need the whole server: its log, its process limits, a SIGKILL.
#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace ita::testing {

// A port on 127.0.0.1 that nobody listens on now (the kernel's choice). Throws
// std::runtime_error when there is none.
unsigned short free_port();

struct ServeOptions {
  std::vector<std::string> args;  // after `ita serve --db DB --port PORT`
  std::string out;                // file for its standard output ("": the test's own)
  std::string err;                // file for its standard error ("": the test's own; may be `out`)
  // Runs in the child just before exec, e.g. to lower a resource limit; it must not allocate.
  std::function<void()> before_exec;
};

// Starts `ita serve --db DB --port PORT ARGS…` and returns its pid at once, without waiting for
// it to listen. The files named in `options` are truncated. Throws std::runtime_error when fork
// fails.
pid_t spawn_ita_serve(const std::string& db, unsigned short port, const ServeOptions& options = {});

// spawn_ita_serve, then waits until GET /healthz on `port` answers 200: the pid. When it does not
// within `wait`, or the child exits first, the child is killed and reaped and -1 is returned.
pid_t start_ita_serve(const std::string& db, unsigned short port, const ServeOptions& options = {},
                      std::chrono::milliseconds wait = std::chrono::seconds(10));

// Sends `signal` to `pid` and waits for it to end: its wait status.
int stop_ita_serve(pid_t pid, int signal);

}  // namespace ita::testing

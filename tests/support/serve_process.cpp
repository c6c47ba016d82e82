#include "support/serve_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <thread>

#include "support/http_client.hpp"

namespace ita::testing {

unsigned short free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  const bool ok = fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  if (fd >= 0) ::close(fd);
  if (!ok) throw std::runtime_error("no free port");
  return ntohs(addr.sin_port);
}

namespace {

// Points descriptor `target` at `path`, truncated; in the child, so no allocation.
void redirect(const char* path, int target) {
  const int fd = ::open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) ::_exit(126);
  ::dup2(fd, target);
  ::close(fd);
}

}  // namespace

pid_t spawn_ita_serve(const std::string& db, unsigned short port, const ServeOptions& options) {
  // Everything the child needs is built here: a child of a threaded test may not allocate.
  std::vector<std::string> words = {"ita", "serve", "--db", db, "--port", std::to_string(port)};
  words.insert(words.end(), options.args.begin(), options.args.end());
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (options.before_exec) options.before_exec();
    if (!options.out.empty()) redirect(options.out.c_str(), 1);
    if (options.err == options.out && !options.out.empty()) {
      ::dup2(1, 2);
    } else if (!options.err.empty()) {
      redirect(options.err.c_str(), 2);
    }
    ::execv(ITA_BINARY, argv.data());
    ::_exit(127);
  }
  return pid;
}

pid_t start_ita_serve(const std::string& db, unsigned short port, const ServeOptions& options,
                      std::chrono::milliseconds wait) {
  const pid_t pid = spawn_ita_serve(db, port, options);
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    if (::waitpid(pid, nullptr, WNOHANG) == pid) return -1;  // it exited: not ours answering
    try {
      if (http(port, "GET", "/healthz").status == 200) return pid;
    } catch (const std::exception&) {
    }
  }
  stop_ita_serve(pid, SIGKILL);
  return -1;
}

int stop_ita_serve(pid_t pid, int signal) {
  ::kill(pid, signal);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

}  // namespace ita::testing

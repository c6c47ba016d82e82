// The HTTP server's limits (web/server.cpp): oversized request lines and headers get 414/431, a
// connection that sends no header in time is closed, and a server out of file descriptors waits
// instead of spinning in its accept loop while it keeps serving the connections it has.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "store/store.hpp"
#include "support/http_client.hpp"
#include "support/serve_process.hpp"
#include "web/server.hpp"

namespace ita::web {
namespace {

namespace chr = std::chrono;
using testing::connect_loopback;

void send_all(int fd, const std::string& bytes) {
  for (std::size_t sent = 0; sent < bytes.size();) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;  // the server may stop reading; what it answered is read next
    sent += static_cast<std::size_t>(n);
  }
}

// One response read from `fd`: its status line's code and its body (by Content-Length), or 0
// when the connection closes or times out first.
int read_status(int fd, std::string* body = nullptr) {
  std::string raw;
  char buf[4096];
  std::size_t head_end = std::string::npos;
  std::size_t length = 0;
  while (true) {
    if (head_end == std::string::npos) {
      head_end = raw.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        const auto at = raw.find("Content-Length: ");
        if (at != std::string::npos && at < head_end) length = std::stoul(raw.substr(at + 16));
      }
    }
    if (head_end != std::string::npos && raw.size() >= head_end + 4 + length) break;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return 0;
    raw.append(buf, static_cast<std::size_t>(n));
  }
  if (body != nullptr) *body = raw.substr(head_end + 4, length);
  return std::stoi(raw.substr(9, 3));
}

// Whether the server closes `fd` (recv returns 0 or an error) within `within`.
bool closed_within(int fd, chr::milliseconds within) {
  timeval tv{static_cast<time_t>(within.count() / 1000),
             static_cast<suseconds_t>(within.count() % 1000 * 1000)};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char c;
  const ssize_t n = ::recv(fd, &c, 1, 0);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

// A server answering "ok" to everything, on a free loopback port.
class ServerLimits : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions o;
    o.port = 0;
    o.threads = 2;
    o.body_limit = 64 * 1024;
    o.header_timeout = chr::milliseconds(400);
    server_ = std::make_unique<Server>(o, [](Request&) { return Response::text("ok"); });
    port_ = server_->listen();
    thread_ = std::thread([this] { server_->run(); });
  }
  void TearDown() override {
    server_->stop();
    thread_.join();
  }
  std::unique_ptr<Server> server_;
  std::thread thread_;
  unsigned short port_ = 0;
};

TEST_F(ServerLimits, A64KiBCookieGets431) {
  const int fd = connect_loopback(port_);
  ASSERT_GE(fd, 0);
  send_all(fd,
           "GET / HTTP/1.1\r\nHost: x\r\nCookie: a=" + std::string(64 * 1024, 'b') + "\r\n\r\n");
  std::string body;
  EXPECT_EQ(read_status(fd, &body), 431);
  EXPECT_NE(body.find("request header fields too large"), std::string::npos) << body;
  EXPECT_TRUE(closed_within(fd, chr::seconds(3))) << "the connection ends after it";
  ::close(fd);
  // Many fields that add up past the limit: the same.
  const int many = connect_loopback(port_);
  std::string fields;
  for (int i = 0; i < 600; ++i)
    fields += "X-Field-" + std::to_string(i) + ": " + std::string(40, 'v') + "\r\n";
  send_all(many, "GET / HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n");
  EXPECT_EQ(read_status(many), 431);
  ::close(many);
}

TEST_F(ServerLimits, AVeryLongRequestLineGets414) {
  const int fd = connect_loopback(port_);
  ASSERT_GE(fd, 0);
  send_all(fd, "GET /" + std::string(100 * 1024, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string body;
  EXPECT_EQ(read_status(fd, &body), 414);
  EXPECT_NE(body.find("request line too long"), std::string::npos) << body;
  ::close(fd);
  EXPECT_EQ(testing::http(port_, "GET", "/" + std::string(8 * 1024, 'a')).status, 200)
      << "an 8 KiB target is within the limit";
}

TEST_F(ServerLimits, AnIdleConnectionIsClosedAfterTheHeaderTimeout) {
  const int idle = connect_loopback(port_);
  ASSERT_GE(idle, 0);
  const auto start = chr::steady_clock::now();
  EXPECT_TRUE(closed_within(idle, chr::seconds(3)));
  EXPECT_LT(chr::steady_clock::now() - start, chr::seconds(2));
  ::close(idle);

  // A header sent a byte at a time does not extend the time it may take.
  const int slow = connect_loopback(port_);
  send_all(slow, "GET / HTTP/1.1\r\n");
  bool closed = false;
  for (int i = 0; i < 30 && !closed; ++i) {
    std::this_thread::sleep_for(chr::milliseconds(50));
    send_all(slow, "X");
    closed = closed_within(slow, chr::milliseconds(1));
  }
  EXPECT_TRUE(closed || closed_within(slow, chr::seconds(1))) << "trickling for 1.5 s";
  ::close(slow);

  // A keep-alive connection idle after its reply is closed the same way.
  const int kept = connect_loopback(port_);
  send_all(kept, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(read_status(kept), 200);
  EXPECT_TRUE(closed_within(kept, chr::seconds(3)));
  ::close(kept);
}

TEST(HandleRawRequest, OversizedHeadersGet431AndLongRequestLines414) {
  const Handler ok = [](Request&) { return Response::text("ok"); };
  EXPECT_TRUE(handle_raw_request(
                  "GET / HTTP/1.1\r\nCookie: " + std::string(20000, 'c') + "\r\n\r\n", ok, 1024)
                  .starts_with("HTTP/1.1 431"));
  EXPECT_TRUE(handle_raw_request("GET /" + std::string(20000, 'a') + " HTTP/1.1\r\n\r\n", ok, 1024)
                  .starts_with("HTTP/1.1 414"));
}

// utime + stime of process `pid`, in seconds (/proc/PID/stat fields 14 and 15).
double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), {});
  std::istringstream rest(stat.substr(stat.rfind(')') + 2));
  std::string field;
  long ticks = 0;
  for (int k = 3; k <= 15 && rest >> field; ++k) {
    if (k >= 14) ticks += std::stol(field);
  }
  return static_cast<double>(ticks) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// `ita serve` with RLIMIT_NOFILE 256 and 400 idle connections: it runs out of descriptors, and
// then must neither spin (CPU stays low), nor stop answering a keep-alive connection it already
// has, nor stay stuck once the idle connections are gone.
TEST(ServerLimitsProcess, OutOfFileDescriptorsTheServerWaitsAndKeepsServing) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("ita-emfile-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string db = (dir / "ita.sqlite").string(), log = (dir / "serve.log").string();
  store::open_store(db);  // the schema, before the server starts
  const unsigned short port = testing::free_port();
  testing::ServeOptions serve;
  serve.out = serve.err = log;
  serve.before_exec = [] {
    const rlimit few{256, 256};
    ::setrlimit(RLIMIT_NOFILE, &few);
  };
  const pid_t pid = testing::start_ita_serve(db, port, serve);
  ASSERT_GT(pid, 0) << "ita serve did not start";
  const int kept = connect_loopback(port);
  ASSERT_GE(kept, 0);
  send_all(kept, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(read_status(kept), 200);

  std::vector<int> idle;
  for (int i = 0; i < 400; ++i) {
    const int fd = connect_loopback(port);
    if (fd >= 0) idle.push_back(fd);
  }
  EXPECT_EQ(idle.size(), 400U) << "the kernel queues what the server cannot accept";
  std::this_thread::sleep_for(chr::milliseconds(300));
  const double before = cpu_seconds(pid);
  std::this_thread::sleep_for(chr::seconds(3));
  const double used = cpu_seconds(pid) - before;
  EXPECT_LT(used, 1.0) << "CPU seconds over 3 s with the descriptors exhausted";
  RecordProperty("cpu_seconds_in_3s", std::to_string(used));

  send_all(kept, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(read_status(kept), 200) << "an open keep-alive connection is still served";
  ::close(kept);

  for (const int fd : idle) ::close(fd);
  bool back = false;
  const auto deadline = chr::steady_clock::now() + chr::seconds(10);
  while (!back && chr::steady_clock::now() < deadline) {
    // A stuck server times out, never hangs.
    const int fd = connect_loopback(port, chr::seconds(2));
    if (fd >= 0) {
      send_all(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      back = read_status(fd) == 200;
      ::close(fd);
    }
    if (!back) std::this_thread::sleep_for(chr::milliseconds(100));
  }
  EXPECT_TRUE(back) << "/healthz answers once the idle connections are closed";
  testing::stop_ita_serve(pid, SIGTERM);
  std::ifstream in(log);
  const std::string said((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(said.find("cannot accept connections (Too many open files)"), std::string::npos)
      << "the test ran out of descriptors as meant:\n"
      << said;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ita::web

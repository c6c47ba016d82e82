#include "io/document_text.hpp"

#include <fcntl.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>

#include "core/thai.hpp"

extern char** environ;

namespace ita::io {

namespace {

// ---- HTML -----------------------------------------------------------------------------------

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

// The charset a <meta> in the first 4 KiB of `html` declares (lower-cased), or "".
std::string declared_charset(std::string_view html) {
  const std::string head = lower(html.substr(0, 4096));
  for (std::size_t m = head.find("<meta"); m != std::string::npos; m = head.find("<meta", m + 5)) {
    const std::size_t close = std::min(head.find('>', m), head.size());
    const std::size_t c = head.find("charset", m);
    if (c == std::string::npos || c > close) continue;
    std::size_t i = c + 7;
    while (i < close && (head[i] == ' ' || head[i] == '=' || head[i] == '"' || head[i] == '\'')) {
      ++i;
    }
    std::size_t j = i;
    while (j < close && (std::isalnum(static_cast<unsigned char>(head[j])) || head[j] == '-' ||
                         head[j] == '_' || head[j] == '.' || head[j] == ':')) {
      ++j;
    }
    if (j > i) return head.substr(i, j - i);
  }
  return "";
}

// The encoding name to hand libxml2 for `html`.
std::string encoding_of(std::string_view html) {
  const std::string declared = declared_charset(html);
  // Browsers read TIS-620 and ISO-8859-11 as windows-874, its superset (WHATWG Encoding).
  for (const char* thai : {"tis-620", "tis620", "iso-8859-11", "iso8859-11", "windows-874",
                           "x-windows-874", "cp874", "dos-874"}) {
    if (declared == thai) return "CP874";
  }
  if (!declared.empty() && declared != "utf-8" && declared != "utf8") return declared;
  if (declared.empty() && first_invalid_utf8(html)) return "CP874";
  return "UTF-8";
}

bool name_is(const xmlNode* n, const char* name) {
  return n->name != nullptr && xmlStrcasecmp(n->name, reinterpret_cast<const xmlChar*>(name)) == 0;
}

// Elements whose content is no text a reader sees.
bool hidden(const xmlNode* n) {
  return name_is(n, "script") || name_is(n, "style") || name_is(n, "noscript") ||
         name_is(n, "template");
}

bool block(const xmlNode* n) {
  static constexpr std::array kBlocks = {
      "address", "article", "aside", "blockquote", "br",         "caption", "dd",     "details",
      "div",     "dl",      "dt",    "fieldset",   "figcaption", "figure",  "footer", "form",
      "h1",      "h2",      "h3",    "h4",         "h5",         "h6",      "header", "hr",
      "li",      "main",    "nav",   "ol",         "option",     "p",       "pre",    "section",
      "summary", "table",   "tbody", "td",         "th",         "thead",   "title",  "tr",
      "ul",      "body",    "html"};
  return std::any_of(kBlocks.begin(), kBlocks.end(), [&](const char* b) { return name_is(n, b); });
}

// Appends a text node's content with runs of white space as one space.
void append_text(std::string& out, const xmlChar* content) {
  if (content == nullptr) return;
  for (const xmlChar* p = content; *p != 0; ++p) {
    const char c = static_cast<char>(*p);
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    if (!space) {
      out.push_back(c);
    } else if (!out.empty() && out.back() != ' ' && out.back() != '\n') {
      out.push_back(' ');
    }
  }
}

void end_line(std::string& out) {
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (!out.empty() && out.back() != '\n') out.push_back('\n');
}

// The text under `root`, walked without recursion (a page may nest deeply).
std::string text_under(const xmlNode* root) {
  std::string out;
  const xmlNode* n = root;
  while (n != nullptr) {
    const bool element = n->type == XML_ELEMENT_NODE;
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      append_text(out, n->content);
    } else if (element && block(n)) {
      end_line(out);
    }
    if (element && n->children != nullptr && !hidden(n)) {
      n = n->children;
      continue;
    }
    // Up until a next sibling, ending the lines of the blocks left.
    while (n != nullptr && n != root && n->next == nullptr) {
      n = n->parent;
      if (n != nullptr && n->type == XML_ELEMENT_NODE && block(n)) end_line(out);
    }
    if (n == nullptr || n == root) break;
    if (n->type == XML_ELEMENT_NODE && block(n)) end_line(out);
    n = n->next;
  }
  end_line(out);
  return out;
}

void ignore_error(void*, const char*, ...) {}
void ignore_structured_error(void*, xmlErrorPtr) {}

// Silences libxml2's messages on this thread while it lives: an agency's broken page (bytes
// that are not in its declared encoding) must not fill the server's log. Restores the thread's
// handlers after.
class QuietLibxml {
 public:
  QuietLibxml()
      : generic_(xmlGenericError),
        generic_context_(xmlGenericErrorContext),
        structured_(xmlStructuredError),
        structured_context_(xmlStructuredErrorContext) {
    xmlSetGenericErrorFunc(nullptr, ignore_error);
    xmlSetStructuredErrorFunc(nullptr, ignore_structured_error);
  }
  ~QuietLibxml() {
    xmlSetGenericErrorFunc(generic_context_, generic_);
    xmlSetStructuredErrorFunc(structured_context_, structured_);
  }
  QuietLibxml(const QuietLibxml&) = delete;
  QuietLibxml& operator=(const QuietLibxml&) = delete;

 private:
  xmlGenericErrorFunc generic_;
  void* generic_context_;
  xmlStructuredErrorFunc structured_;
  void* structured_context_;
};

}  // namespace

std::string html_text(std::string_view html) {
  static std::once_flag init;
  std::call_once(init, [] { xmlInitParser(); });
  if (html.starts_with("\xEF\xBB\xBF")) html.remove_prefix(3);
  if (html.empty() || html.size() > INT_MAX) return "";
  const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                      HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC;
  const std::string encoding = encoding_of(html);
  const QuietLibxml quiet;
  const auto read = [&](const char* enc) {
    return htmlReadMemory(html.data(), static_cast<int>(html.size()), nullptr, enc, options);
  };
  htmlDocPtr doc = read(encoding.c_str());
  if (doc == nullptr) doc = read("UTF-8");  // an encoding libxml2 does not know
  if (doc == nullptr) return "";
  const std::unique_ptr<xmlDoc, void (*)(xmlDocPtr)> owned(doc, xmlFreeDoc);
  const xmlNode* root = xmlDocGetRootElement(doc);
  if (root == nullptr) return "";
  std::string text = text_under(root);
  while (!text.empty() && text.front() == '\n') text.erase(0, 1);
  return text;
}

bool looks_like_pdf(std::string_view content_type, std::string_view body) {
  if (body.substr(0, 1024).find("%PDF-") != std::string_view::npos) return true;
  std::string type = lower(content_type.substr(0, content_type.find(';')));
  const auto b = type.find_first_not_of(" \t");
  const auto e = type.find_last_not_of(" \t");
  type = b == std::string::npos ? "" : type.substr(b, e - b + 1);
  return type == "application/pdf" || type == "application/x-pdf";
}

namespace {

// ---- A child process ------------------------------------------------------------------------

using Clock = std::chrono::steady_clock;

// A file descriptor closed at the end of its scope.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// Starts `argv` with `in` as its standard input, `out` as its standard output and standard
// error discarded; returns its pid, or -1.
pid_t spawn(const std::vector<std::string>& argv, int in, int out) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  if (posix_spawn_file_actions_init(&actions) != 0) return -1;
  posix_spawn_file_actions_adddup2(&actions, in, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out, STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  // The child starts with default signal handling and mask, whatever the server set.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  // Bounds what a hostile document can make the reader allocate.
  const rlimit memory{1024UL * 1024 * 1024, 1024UL * 1024 * 1024};
  ::prlimit(pid, RLIMIT_AS, &memory, nullptr);
  return pid;
}

int millis_until(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::clamp<long long>(left.count(), 0, INT_MAX));
}

// Feeds `input` to `to_child` while reading `from_child` into `out`. Returns false once the
// child has closed its output, true as soon as `out` passes `max_output` (capped), nullopt when
// the deadline passes first. Stops feeding a child that no longer reads.
std::optional<bool> exchange(Fd& to_child, Fd& from_child, std::string_view input, std::string& out,
                             std::size_t max_output, Clock::time_point deadline) {
  std::size_t sent = 0;
  if (input.empty()) to_child.reset();
  std::array<char, 65536> buf{};
  while (from_child.get() >= 0) {
    std::array<pollfd, 2> fds{};
    nfds_t n = 0;
    fds[n++] = pollfd{from_child.get(), POLLIN, 0};
    if (to_child.get() >= 0) fds[n++] = pollfd{to_child.get(), POLLOUT, 0};
    const int wait = millis_until(deadline);
    if (wait == 0) return std::nullopt;
    if (::poll(fds.data(), n, wait) < 0 && errno != EINTR) return std::nullopt;
    if (n == 2 && fds[1].revents != 0) {
      // MSG_NOSIGNAL: a child that stops reading early must not raise SIGPIPE in the server.
      const ssize_t w = ::send(to_child.get(), input.data() + sent,
                               std::min<std::size_t>(input.size() - sent, buf.size()),
                               MSG_NOSIGNAL | MSG_DONTWAIT);
      if (w > 0) sent += static_cast<std::size_t>(w);
      if ((w < 0 && errno != EAGAIN && errno != EINTR) || sent == input.size()) to_child.reset();
    }
    if (fds[0].revents != 0) {
      const ssize_t r = ::read(from_child.get(), buf.data(), buf.size());
      if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
        from_child.reset();
      } else if (r > 0) {
        out.append(buf.data(), static_cast<std::size_t>(r));
        if (out.size() > max_output) return true;
      }
    }
  }
  return false;
}

// Waits for `pid` until the deadline; kills it then. True when it exited with status 0.
bool reap(pid_t pid, Clock::time_point deadline, bool kill_now) {
  int status = 0;
  while (!kill_now) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (r < 0 && errno != EINTR) return false;
    if (Clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ::kill(pid, SIGKILL);
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return false;
}

// `s` cut to at most `n` bytes without splitting a UTF-8 sequence.
void cut_utf8(std::string& s, std::size_t n) {
  if (s.size() <= n) return;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
}

}  // namespace

std::optional<std::string> run_filter(const std::vector<std::string>& argv, std::string_view input,
                                      std::chrono::milliseconds timeout, std::size_t max_output) {
  if (argv.empty()) return std::nullopt;
  const Clock::time_point deadline = Clock::now() + timeout;
  // Standard input is a socket so that a write to a child that quit fails without SIGPIPE.
  int in[2], out[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0) return std::nullopt;
  Fd to_child(in[0]), child_in(in[1]);
  if (::pipe2(out, O_CLOEXEC) != 0) return std::nullopt;
  Fd from_child(out[0]), child_out(out[1]);
  const pid_t pid = spawn(argv, child_in.get(), child_out.get());
  child_in.reset();
  child_out.reset();
  if (pid < 0) return std::nullopt;
  std::string text;
  std::optional<bool> capped;
  try {
    capped = exchange(to_child, from_child, input, text, max_output, deadline);
  } catch (...) {
    reap(pid, deadline, true);
    throw;
  }
  to_child.reset();
  from_child.reset();
  const bool ok = reap(pid, deadline, !capped || *capped);
  if (!capped) return std::nullopt;
  if (*capped) {
    cut_utf8(text, max_output);
    return text;
  }
  if (!ok) return std::nullopt;
  return text;
}

std::optional<std::string> pdf_text(std::string_view pdf_bytes, std::chrono::milliseconds timeout) {
  return run_filter({"pdftotext", "-enc", "UTF-8", "-q", "-", "-"}, pdf_bytes, timeout,
                    kMaxPdfText);
}

}  // namespace ita::io

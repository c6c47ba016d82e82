#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "io/json_error.hpp"

namespace ita::io {

namespace fs = std::filesystem;

namespace {

bool exists_as_special_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

// Writes all of `data`; false with errno set on failure.
bool write_all(int fd, const char* data, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::write(fd, data + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  const fs::path target(path_);
  std::error_code ec;
  if (path_.empty() || !target.has_filename() || fs::is_directory(target, ec)) {
    throw FileError(path_, "", "expected the path of a file to write, not a folder");
  }
  special_target_ = exists_as_special_file(path_);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (special_target_) {
    dir = fs::temp_directory_path(ec);
    if (ec) dir = "/tmp";
  }
  temp_ = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
  fd_ = ::mkstemp(temp_.data());
  if (fd_ < 0) fail("cannot write the output file", errno);
  if (::fchmod(fd_, 0644) != 0) {
    const int err = errno;
    ::close(fd_);
    ::unlink(temp_.c_str());
    fd_ = -1;
    fail("cannot write the output file", err);
  }
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_.c_str());
}

void AtomicFile::fail(const std::string& what, int err) const {
  throw FileError(path_, "", what + ": " + std::strerror(err));
}

void AtomicFile::close_fd() {
  if (fd_ < 0) return;
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail("cannot write the output file", errno);
}

void AtomicFile::commit() {
  if (committed_) return;
  if (special_target_) {
    copy_into_target();
    return;
  }
  if (fd_ < 0) fd_ = ::open(temp_.c_str(), O_RDONLY | O_CLOEXEC);  // reopened to flush it to disk
  if (fd_ < 0 || ::fsync(fd_) != 0) fail("cannot write the output file", errno);
  close_fd();
  if (std::rename(temp_.c_str(), path_.c_str()) != 0) fail("cannot replace the output file", errno);
  committed_ = true;
}

void AtomicFile::copy_into_target() {
  close_fd();
  const int in = ::open(temp_.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) fail("cannot read back the output", errno);
  const int out = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
  if (out < 0) {
    const int err = errno;
    ::close(in);
    fail("cannot open the output file", err);
  }
  char buffer[64 * 1024];
  int err = 0;
  for (;;) {
    const ssize_t n = ::read(in, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) err = errno;
    if (n <= 0) break;
    if (!write_all(out, buffer, static_cast<std::size_t>(n))) {
      err = errno;
      break;
    }
  }
  ::close(in);
  if (::close(out) != 0 && err == 0) err = errno;
  if (err != 0) fail("cannot write the output file", err);
  ::unlink(temp_.c_str());
  committed_ = true;
}

void write_file_atomically(const std::string& path, std::string_view content) {
  AtomicFile file(path);
  if (!write_all(file.fd(), content.data(), content.size())) {
    throw FileError(path, "", std::string("cannot write the output file: ") + std::strerror(errno));
  }
  file.commit();
}

}  // namespace ita::io

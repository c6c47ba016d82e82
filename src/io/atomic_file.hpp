#pragma once
#include <string>
#include <string_view>

namespace ita::io {

// A file written under a temporary name in its target folder ("." + name + ".XXXXXX") and
// renamed over the target by commit(), so a reader (or a crash) never sees a half-written
// file. Destroyed without commit(), it removes the temporary file.
//
// A target that exists and is not a regular file (/dev/null, /dev/stdout, a pipe) cannot be
// replaced by a rename: the content is then staged in the system's temporary folder and
// copied into the target by commit(). Errors are io::FileError naming the target.
class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  const std::string& path() const { return path_; }
  const std::string& temp_path() const { return temp_; }
  int fd() const { return fd_; }
  // Closes the descriptor, for writers that open the temporary file by name (libxlsxwriter).
  void close_fd();
  // Flushes the temporary file to disk and renames (or copies) it to the target.
  void commit();

 private:
  void copy_into_target();
  [[noreturn]] void fail(const std::string& what, int err) const;

  std::string path_;
  std::string temp_;
  int fd_ = -1;
  bool special_target_ = false;
  bool committed_ = false;
};

// Writes `content` to `path` through an AtomicFile. FileError if the folder is not writable.
void write_file_atomically(const std::string& path, std::string_view content);

}  // namespace ita::io

#include "io/atomic_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "io/json_error.hpp"

namespace ita::io {
namespace {

namespace fs = std::filesystem;

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ita-atomic-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string file(const std::string& name) const { return (dir_ / name).string(); }
  std::size_t entries() const {
    return static_cast<std::size_t>(
        std::distance(fs::directory_iterator(dir_), fs::directory_iterator()));
  }
  static std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

  fs::path dir_;
};

TEST_F(AtomicFileTest, ReplacesARegularFileWholly) {
  write_file_atomically(file("out.txt"), "old");
  write_file_atomically(file("out.txt"), "ใหม่");
  EXPECT_EQ(read(file("out.txt")), "ใหม่");
  EXPECT_EQ(entries(), 1U);
}

TEST_F(AtomicFileTest, WithoutCommitTheTargetIsUntouchedAndNoTemporaryIsLeft) {
  write_file_atomically(file("out.txt"), "kept");
  {
    AtomicFile f(file("out.txt"));
    ASSERT_EQ(::write(f.fd(), "x", 1), 1);
  }
  EXPECT_EQ(read(file("out.txt")), "kept");
  EXPECT_EQ(entries(), 1U);
}

TEST_F(AtomicFileTest, DeviceTargetIsWrittenNotReplaced) {
  // /dev/null must stay a character device; renaming over it would break the whole machine.
  write_file_atomically("/dev/null", "discarded");
  struct stat st {};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST_F(AtomicFileTest, PipeTargetReceivesTheContent) {
  const std::string fifo = file("pipe");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto reader = std::async(std::launch::async, [&] { return read(fifo); });
  write_file_atomically(fifo, "ผ่านท่อ");
  EXPECT_EQ(reader.get(), "ผ่านท่อ");
  struct stat st {};
  ASSERT_EQ(::stat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

TEST_F(AtomicFileTest, MissingFolderAndFolderTargetAreFileErrors) {
  EXPECT_THROW(write_file_atomically(file("no/such/out.txt"), "x"), FileError);
  try {
    write_file_atomically(dir_.string(), "x");
    ADD_FAILURE() << "no error";
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find("not a folder"), std::string::npos);
  }
}

}  // namespace
}  // namespace ita::io

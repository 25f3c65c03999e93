#include "semdraw/fileio/atomic_write.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <csignal>
#include <cstdlib>

#include "fileio/fileio_test_support.h"
#include "semdraw/fileio/fault_point.h"
#include "semdraw/fileio/temporaries.h"

namespace semdraw::fileio {
namespace {

using namespace testing;
namespace fs = std::filesystem;

TEST(AtomicWrite, ANewFileFollowsTheUmask) {
  ScratchFolder folder;
  UmaskFor mask(027);
  write_atomically(folder / "new.txt", "hello");
  EXPECT_EQ(contents(folder / "new.txt"), "hello");
  EXPECT_EQ(mode_of(folder / "new.txt"), 0640u);
}

TEST(AtomicWrite, AReplacedFileKeepsItsMode) {
  ScratchFolder folder;
  UmaskFor mask(022);
  put(folder / "shared.txt", "old");
  ASSERT_EQ(::chmod((folder / "shared.txt").c_str(), 0664), 0);
  write_atomically(folder / "shared.txt", "new");
  EXPECT_EQ(contents(folder / "shared.txt"), "new");
  EXPECT_EQ(mode_of(folder / "shared.txt"), 0664u);
}

TEST(AtomicWrite, PrivateFilesAreOwnerOnlyEvenOverAnOpenOne) {
  ScratchFolder folder;
  put(folder / "recovery.ora", "old");
  ASSERT_EQ(::chmod((folder / "recovery.ora").c_str(), 0644), 0);
  write_atomically(folder / "recovery.ora", "new", {.access = Access::Private});
  EXPECT_EQ(mode_of(folder / "recovery.ora"), 0600u);
}

TEST(AtomicWrite, AReplacedFileKeepsItsOwnerWherePermitted) {
  if (::geteuid() != 0) GTEST_SKIP() << "only root may give a file to another user";
  ScratchFolder folder;
  put(folder / "theirs.txt", "old");
  ASSERT_EQ(::chown((folder / "theirs.txt").c_str(), 4321, 4322), 0);
  write_atomically(folder / "theirs.txt", "new");
  struct stat st {};
  ASSERT_EQ(::stat((folder / "theirs.txt").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 4321u);
  EXPECT_EQ(st.st_gid, 4322u);
}

TEST(AtomicWrite, WritesThroughASymlinkWhichStaysALink) {
  ScratchFolder folder;
  fs::create_directory(folder / "real");
  put(folder / "real" / "project.txt", "old");
  ASSERT_EQ(::chmod((folder / "real" / "project.txt").c_str(), 0664), 0);
  fs::create_symlink("real/project.txt", folder / "link.txt");  // relative, from the link's folder
  fs::create_symlink(folder / "link.txt", folder / "link-to-link.txt");

  write_atomically(folder / "link-to-link.txt", "new");
  EXPECT_TRUE(fs::is_symlink(folder / "link.txt"));
  EXPECT_TRUE(fs::is_symlink(folder / "link-to-link.txt"));
  EXPECT_EQ(contents(folder / "real" / "project.txt"), "new");
  EXPECT_EQ(mode_of(folder / "real" / "project.txt"), 0664u);
  EXPECT_EQ(names_in(folder / "real"), std::set<std::string>{"project.txt"});
  EXPECT_EQ(write_target(folder / "link-to-link.txt"), folder / "real" / "project.txt");
}

TEST(AtomicWrite, ADanglingSymlinkGetsItsTargetCreated) {
  ScratchFolder folder;
  fs::create_symlink("made.txt", folder / "link.txt");
  write_atomically(folder / "link.txt", "made");
  EXPECT_TRUE(fs::is_symlink(folder / "link.txt"));
  EXPECT_EQ(contents(folder / "made.txt"), "made");
}

TEST(AtomicWrite, RefusesToReplaceAReadOnlyFileUnlessTold) {
  ScratchFolder folder;
  put(folder / "locked.txt", "old");
  ASSERT_EQ(::chmod((folder / "locked.txt").c_str(), 0444), 0);
  try {
    write_atomically(folder / "locked.txt", "new");
    ADD_FAILURE() << "a read-only file was replaced";
  } catch (const WriteError& error) {
    EXPECT_NE(std::string(error.what()).find("locked.txt"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("read-only"), std::string::npos) << error.what();
  }
  EXPECT_EQ(contents(folder / "locked.txt"), "old");
  EXPECT_EQ(names_in(folder.path()), std::set<std::string>{"locked.txt"});

  write_atomically(folder / "locked.txt", "new", {.replace_read_only = true});
  EXPECT_EQ(contents(folder / "locked.txt"), "new");
  EXPECT_EQ(mode_of(folder / "locked.txt"), 0444u) << "still locked as it was";
}

TEST(AtomicWrite, RefusesFoldersAndSpecialFiles) {
  ScratchFolder folder;
  fs::create_directory(folder / "dir.png");
  EXPECT_THROW(write_atomically(folder / "dir.png", "x"), WriteError);
  ASSERT_EQ(::mkfifo((folder / "pipe").c_str(), 0644), 0);
  EXPECT_THROW(write_atomically(folder / "pipe", "x"), WriteError);
  EXPECT_EQ(fs::status(folder / "pipe").type(), fs::file_type::fifo);
  EXPECT_THROW(write_atomically(folder / "no" / "such" / "dir.txt", "x"), WriteError);
}

TEST(AtomicWrite, AWriterThatFailsLeavesTheOldFileAndNoTemporary) {
  ScratchFolder folder;
  put(folder / "keep.txt", "old");
  EXPECT_THROW(write_atomically(folder / "keep.txt",
                                [](TemporaryFile& file) {
                                  file.write("half of it");
                                  throw std::runtime_error("encoder failed");
                                }),
               std::runtime_error);
  EXPECT_EQ(contents(folder / "keep.txt"), "old");
  EXPECT_EQ(names_in(folder.path()), std::set<std::string>{"keep.txt"});
}

// A real write failure from the kernel: past RLIMIT_FSIZE every write fails
// with EFBIG, as a full disk fails it with ENOSPC. In a child, since the
// limit is the process's.
TEST(AtomicWrite, AFileSystemThatRefusesTheWriteLeavesTheOldFileAndNoTemporary) {
  ScratchFolder folder;
  put(folder / "keep.bin", "old");
  const int status = in_child([&] {
    std::signal(SIGXFSZ, SIG_IGN);  // else the kernel kills the writer at the limit
    rlimit limit{};
    ::getrlimit(RLIMIT_FSIZE, &limit);
    limit.rlim_cur = 4096;
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) return 2;
    try {
      write_atomically(folder / "keep.bin", std::string(64 * 1024, 'x'));
    } catch (const WriteError& error) {
      std::printf("error shown: %s\n", error.what());
      return std::string(error.what()).find("keep.bin") != std::string::npos ? 0 : 3;
    }
    return 1;  // the write "succeeded"
  });
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: no error; 3: the error does not name the file";
  EXPECT_EQ(contents(folder / "keep.bin"), "old");
  EXPECT_EQ(names_in(folder.path()), std::set<std::string>{"keep.bin"});
}

// Killed at each phase of a write: the file is the old one or the new one,
// never a mix; a temporary left by the kill goes at the next write there.
TEST(AtomicWrite, AKillAtAnyPhaseLeavesTheOldOrNewFileAndTheNextWriteCleansUp) {
  for (const char* point :
       {"atomic-write:created", "atomic-write:filled", "atomic-write:synced", "atomic-write:renamed"}) {
    SCOPED_TRACE(point);
    ScratchFolder folder;
    put(folder / "doc.txt", "old");
    const int status = in_child([&] {
      ::setenv(kFaultEnvironmentVariable, point, 1);
      write_atomically(folder / "doc.txt", std::string(100000, 'n'));
      return 0;
    });
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the fault point did not fire";
    const std::string after = contents(folder / "doc.txt");
    const bool renamed = std::string(point) == "atomic-write:renamed";
    EXPECT_EQ(after, renamed ? std::string(100000, 'n') : "old");
    EXPECT_EQ(names_in(folder.path()).size(), renamed ? 1u : 2u) << "the killed write's temporary";

    write_atomically(folder / "other.txt", "x");
    EXPECT_EQ(names_in(folder.path()), (std::set<std::string>{"doc.txt", "other.txt"}));
  }
}

TEST(AtomicWrite, AFaultPointForAnotherFileDoesNotFire) {
  ScratchFolder folder;
  const int status = in_child([&] {
    ::setenv(kFaultEnvironmentVariable, "atomic-write:filled@.ora", 1);
    write_atomically(folder / "sidecar.json", "{}");
    return 0;
  });
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(contents(folder / "sidecar.json"), "{}");
}

}  // namespace
}  // namespace semdraw::fileio

#pragma once
// What every writer of the program owes the file it writes (issue 16; the
// mechanism is semdraw/fileio/atomic_write.h). Each writer's suite runs
// expect_faithful_writer() with a function that writes its real content:
//   - through a symlink: the link stays a link, its target gets the content;
//   - over a 0664 file: the mode stays 0664 (under umask 022);
//   - over a read-only file: refused, naming the file, the file unchanged;
//   - failing mid-write (RLIMIT_FSIZE: EFBIG, as a full disk gives ENOSPC;
//     it binds root too):
//     the old file intact, no temporary left;
//   - a stale temporary of ours (a dead writer's) in the folder: removed.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <csignal>
#include <cstdio>

#include "fileio/fileio_test_support.h"

namespace semdraw::fileio::testing {

// Writes the writer's content to the path; false (or a throw) with *error on
// failure.
using Writer = std::function<bool(const std::filesystem::path& path, std::string* error)>;

inline bool run_writer(const Writer& write, const std::filesystem::path& path, std::string* error) {
  try {
    return write(path, error);
  } catch (const std::exception& failure) {
    *error = failure.what();
    return false;
  }
}

// `name`: the file checked; `also_written`: other files the writer puts in the
// same folder on success (info --extract's masks and scene.json).
inline void expect_faithful_writer(const Writer& write, const std::string& name,
                                   const std::set<std::string>& also_written = {}) {
  namespace fs = std::filesystem;
  const auto others_removed = [&](std::set<std::string> names) {
    for (const std::string& other : also_written) names.erase(other);
    return names;
  };
  const std::string old_content = "the old file's bytes";
  std::string error;
  {
    SCOPED_TRACE("through a symlink");
    ScratchFolder folder;
    fs::create_directory(folder / "real");
    put(folder / "real" / name, old_content);
    fs::create_symlink(fs::path("real") / name, folder / name);
    ASSERT_TRUE(run_writer(write, folder / name, &error)) << error;
    EXPECT_TRUE(fs::is_symlink(folder / name)) << "the link was replaced by a file";
    const std::string written = contents(folder / "real" / name);
    EXPECT_NE(written, old_content) << "the link's target was not written";
    EXPECT_FALSE(written.empty());
    EXPECT_EQ(names_in(folder / "real"), std::set<std::string>{name});
  }
  {
    SCOPED_TRACE("the mode of the file replaced");
    ScratchFolder folder;
    UmaskFor mask(022);
    put(folder / name, old_content);
    ASSERT_EQ(::chmod((folder / name).c_str(), 0664), 0);
    ASSERT_TRUE(run_writer(write, folder / name, &error)) << error;
    EXPECT_EQ(mode_of(folder / name), 0664u);
    EXPECT_NE(contents(folder / name), old_content);
  }
  {
    SCOPED_TRACE("a read-only file");
    ScratchFolder folder;
    put(folder / name, old_content);
    ASSERT_EQ(::chmod((folder / name).c_str(), 0444), 0);
    EXPECT_FALSE(run_writer(write, folder / name, &error)) << "a read-only file was replaced";
    EXPECT_NE(error.find(name), std::string::npos) << error;
    EXPECT_NE(error.find("read-only"), std::string::npos) << error;
    EXPECT_EQ(contents(folder / name), old_content);
    EXPECT_EQ(names_in(folder.path()), std::set<std::string>{name});
  }
  {
    SCOPED_TRACE("a write that fails part-way");
    ScratchFolder folder;
    put(folder / name, old_content);
    // In this process, not a forked child: Qt's image code runs on a thread
    // pool, which a fork leaves behind (the child would wait on it for ever).
    rlimit saved{};
    ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
    const auto previous_handler = std::signal(SIGXFSZ, SIG_IGN);  // else the kernel kills us at the limit
    rlimit small = saved;
    small.rlim_cur = 24;  // bytes: every writer's content is larger
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
    std::string why;
    const bool written = run_writer(write, folder / name, &why);
    ::setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, previous_handler);
    std::printf("error shown: %s\n", why.c_str());
    EXPECT_FALSE(written) << "no error";
    EXPECT_NE(why.find(name), std::string::npos) << why;
    EXPECT_EQ(contents(folder / name), old_content) << "the old file was damaged";
    EXPECT_EQ(names_in(folder.path()), std::set<std::string>{name}) << "something was left behind";
  }
  {
    SCOPED_TRACE("a stale temporary of a killed write");
    ScratchFolder folder;
    const std::string stale = "." + name + ".semdraw-tmp-99999999-abcdefgh";  // no such pid
    put(folder / stale, "half");
    ASSERT_TRUE(run_writer(write, folder / name, &error)) << error;
    EXPECT_EQ(others_removed(names_in(folder.path())), std::set<std::string>{name});
  }
}

}  // namespace semdraw::fileio::testing

#include "semdraw/fileio/temporaries.h"

#include <gtest/gtest.h>
#include <sys/time.h>

#include "fileio/fileio_test_support.h"

namespace semdraw::fileio {
namespace {

using namespace testing;

// A pid that runs no process: past the kernel's pid_max.
constexpr pid_t kGonePid = 99999999;

void age(const std::filesystem::path& file, std::chrono::minutes by) {
  const auto then = std::chrono::system_clock::now() - by;
  const timeval times[2] = {{std::chrono::system_clock::to_time_t(then), 0},
                            {std::chrono::system_clock::to_time_t(then), 0}};
  ::utimes(file.c_str(), times);
}

TEST(Temporaries, NamesAreHiddenBesideTheTargetAndRecognised) {
  const auto name = temporary_name_for("/some/folder/picture.ora");
  EXPECT_EQ(name.parent_path(), "/some/folder");
  pid_t pid = 0;
  EXPECT_TRUE(is_our_temporary(name.filename().string(), &pid)) << name;
  EXPECT_EQ(pid, ::getpid());
  EXPECT_TRUE(is_our_temporary(name.filename().string() + ".AbC123")) << "libzip's own temporary beside ours";
  EXPECT_NE(temporary_name_for("/f/a.ora"), temporary_name_for("/f/a.ora"));
  EXPECT_LE(temporary_name_for("/f/" + std::string(250, 'x')).filename().string().size(), 240u);
  for (const char* other : {"picture.ora", "picture.ora.tmp-abc123", ".semdraw-tmp-", ".a.semdraw-tmp-12",
                            ".a.semdraw-tmp-x-1", "a.semdraw-tmp-12-abc"})
    EXPECT_FALSE(is_our_temporary(other)) << other;
}

TEST(Temporaries, StaleOnesGoLiveOnesAndOtherFilesStay) {
  ScratchFolder folder;
  const std::string gone = ".a.ora.semdraw-tmp-" + std::to_string(kGonePid) + "-abcdefgh";
  const std::string gone_libzip = gone + ".Xy12Z9";
  const std::string live = ".b.ora.semdraw-tmp-" + std::to_string(::getpid()) + "-abcdefgh";
  const std::string live_but_old = ".c.ora.semdraw-tmp-" + std::to_string(::getppid()) + "-abcdefgh";
  for (const std::string& name : {gone, gone_libzip, live, live_but_old, std::string("a.ora"),
                                  std::string("a.ora.tmp-XXXXXX"), std::string(".hidden")})
    put(folder / name, "x");
  age(folder / live_but_old, kStaleTemporaryAge + std::chrono::minutes(1));

  EXPECT_EQ(remove_stale_temporaries(folder.path()), 3);
  EXPECT_EQ(names_in(folder.path()), (std::set<std::string>{live, "a.ora", "a.ora.tmp-XXXXXX", ".hidden"}));
  EXPECT_EQ(remove_stale_temporaries(folder / "missing"), 0);
}

}  // namespace
}  // namespace semdraw::fileio

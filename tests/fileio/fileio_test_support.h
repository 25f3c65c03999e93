#pragma once
// Helpers for the file-writing tests: a scratch folder (support/scratch_dir.h),
// file contents, modes, the folder's listing (hidden files included: our
// temporaries are hidden), and running a write in a child process that may
// die or hit a limit.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>

#include "support/scratch_dir.h"

namespace semdraw::fileio::testing {

using ScratchFolder = semdraw::testing::ScratchDir;

inline std::string contents(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline void put(const std::filesystem::path& file, const std::string& text) {
  std::ofstream(file, std::ios::binary) << text;
}

inline mode_t mode_of(const std::filesystem::path& file) {
  struct stat st {};
  return ::stat(file.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0;
}

// Every name in the folder, hidden ones too.
inline std::set<std::string> names_in(const std::filesystem::path& folder) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) names.insert(entry.path().filename().string());
  return names;
}

// Sets the process umask for one scope.
class UmaskFor {
 public:
  explicit UmaskFor(mode_t mask) : previous_(::umask(mask)) {}
  ~UmaskFor() { ::umask(previous_); }

 private:
  mode_t previous_;
};

// Runs `body` in a forked child; returns its wait status. The child ends with
// _exit(body()), or dies of a signal on the way (a fault point, SIGXFSZ).
inline int in_child(const std::function<int()>& body) {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(body());
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

}  // namespace semdraw::fileio::testing

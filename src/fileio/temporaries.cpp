#include "semdraw/fileio/temporaries.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <random>
#include <string_view>
#include <vector>

namespace semdraw::fileio {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMarker = ".semdraw-tmp-";
// NAME_MAX is 255 bytes: room for the dot, the marker, pid, random part and a
// writer's own suffix.
constexpr std::size_t kMaxKeptName = 180;

std::string random_part() {
  static const char kChars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  thread_local std::mt19937_64 random(std::random_device{}());
  std::uniform_int_distribution<int> pick(0, int(sizeof kChars) - 2);
  std::string out(8, '0');
  for (char& c : out) c = kChars[pick(random)];
  return out;
}

}  // namespace

fs::path temporary_name_for(const fs::path& target) {
  std::string name = target.filename().string();
  if (name.size() > kMaxKeptName) name.resize(kMaxKeptName);
  return target.parent_path() / ("." + name + std::string(kMarker) + std::to_string(::getpid()) + "-" + random_part());
}

bool is_our_temporary(const std::string& name, pid_t* pid) {
  if (name.size() < 2 || name.front() != '.') return false;
  const std::size_t at = name.rfind(kMarker);
  if (at == std::string::npos) return false;
  std::size_t i = at + kMarker.size();
  long long value = 0;
  const std::size_t digits_start = i;
  while (i < name.size() && name[i] >= '0' && name[i] <= '9' && i - digits_start < 10)
    value = value * 10 + (name[i++] - '0');
  if (i == digits_start || value <= 0 || i + 1 >= name.size() || name[i] != '-') return false;
  if (pid) *pid = static_cast<pid_t>(value);
  return true;
}

int remove_stale_temporaries(const fs::path& folder) {
  std::error_code error;
  fs::directory_iterator it(folder.empty() ? fs::path(".") : folder, error);
  if (error) return 0;
  std::vector<fs::path> stale;
  const auto now = std::chrono::system_clock::now();
  for (; it != fs::directory_iterator(); it.increment(error)) {
    if (error) break;
    pid_t pid = 0;
    if (!is_our_temporary(it->path().filename().string(), &pid)) continue;
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    const bool writer_gone = pid != ::getpid() && ::kill(pid, 0) != 0 && errno == ESRCH;
    const bool old = now - std::chrono::system_clock::from_time_t(st.st_mtime) > kStaleTemporaryAge;
    if (writer_gone || old) stale.push_back(it->path());
  }
  int removed = 0;
  for (const fs::path& path : stale) removed += ::unlink(path.c_str()) == 0 ? 1 : 0;
  return removed;
}

}  // namespace semdraw::fileio

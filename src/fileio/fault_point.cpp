#include "semdraw/fileio/fault_point.h"

#include <csignal>
#include <cstdlib>
#include <string>

namespace semdraw::fileio {

void fault_point(std::string_view point, const std::filesystem::path& file) {
  const char* wanted = std::getenv(kFaultEnvironmentVariable);
  if (wanted == nullptr || point != std::string_view(wanted).substr(0, point.size())) return;
  const std::string_view rest = std::string_view(wanted).substr(point.size());
  if (!rest.empty()) {
    if (rest.front() != '@') return;  // another point whose name starts with this one
    const std::string name = file.filename().string();
    const std::string_view suffix = rest.substr(1);
    if (name.size() < suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) return;
  }
  std::raise(SIGKILL);
}

}  // namespace semdraw::fileio

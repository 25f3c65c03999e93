#include "cli/project_files.h"

#include <algorithm>
#include <cctype>
#include <fstream>

#include "cli/scene_file.h"

namespace semdraw::cli {

bool is_project_file(const std::filesystem::path& file) {
  std::string extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".ora") return true;
  std::ifstream in(file, std::ios::binary);
  char magic[4] = {};
  return in.read(magic, 4) && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
}

Scene read_scene_or_project(const std::filesystem::path& file) {
  return is_project_file(file) ? read_project_scene(file) : read_scene_file(file);
}

}  // namespace semdraw::cli

#include "semdraw/engine/model_discovery.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "io/pickle_guard.h"

namespace semdraw {

namespace fs = std::filesystem;

namespace {
bool is_safetensors(const fs::path& path) {
  std::error_code ec;
  return path.extension() == ".safetensors" && fs::is_regular_file(path, ec);
}

std::vector<fs::path> sorted_entries(const fs::path& dir) {
  std::vector<fs::path> entries;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return entries;
  for (const auto& entry : fs::directory_iterator(dir, ec)) entries.push_back(entry.path());
  std::sort(entries.begin(), entries.end());
  return entries;
}

fs::path huggingface_hub_dir() {
  if (const char* cache = std::getenv("HF_HUB_CACHE"); cache && *cache) return cache;
  if (const char* home = std::getenv("HF_HOME"); home && *home) return fs::path(home) / "hub";
  if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".cache/huggingface/hub";
  return {};
}

void add_checked(std::vector<ModelCandidate>& out, const fs::path& path, const std::string& source) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw std::runtime_error(source + " names '" + path.string() + "', which does not exist");
  // Say why a pickle checkpoint is refused, and that an unreadable folder is
  // a permission problem, instead of "not a model".
  if (io::has_pickle_extension(path)) io::refuse_pickle(path, "refusing a '" + path.extension().string() + "' model");
  if (::access(path.c_str(), R_OK | (fs::is_directory(path, ec) ? X_OK : 0)) != 0)
    throw std::runtime_error(source + " names '" + path.string() + "', which cannot be read (" + std::strerror(errno) +
                             ")");
  if (!looks_like_model(path)) {
    throw std::runtime_error(source + " names '" + path.string() +
                             "', which is neither a diffusers folder (model_index.json) nor a .safetensors file");
  }
  out.push_back({path, source});
}
}  // namespace

bool looks_like_model(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path / "model_index.json", ec) || is_safetensors(path);
}

std::vector<ModelCandidate> find_models(const std::optional<fs::path>& explicit_path, const fs::path& models_dir) {
  std::vector<ModelCandidate> out;
  if (explicit_path) add_checked(out, *explicit_path, "argument");
  if (const char* env = std::getenv("SEMDRAW_MODEL"); env && *env) add_checked(out, env, "SEMDRAW_MODEL");
  // models/: diffusers folders first, then single files (LoRA and TAESD files
  // live there too, so single files whose name says so are skipped).
  const auto entries = sorted_entries(models_dir);
  for (const auto& entry : entries)
    if (fs::is_regular_file(entry / "model_index.json")) out.push_back({entry, "models/"});
  for (const auto& entry : entries) {
    const std::string name = entry.filename().string();
    if (is_safetensors(entry) && name.find("lora") == std::string::npos && name.find("taesd") == std::string::npos)
      out.push_back({entry, "models/"});
  }
  const fs::path hub = huggingface_hub_dir();
  for (const auto& repo : sorted_entries(hub)) {
    if (repo.filename().string().rfind("models--", 0) != 0) continue;
    for (const auto& snapshot : sorted_entries(repo / "snapshots"))
      if (fs::is_regular_file(snapshot / "model_index.json")) out.push_back({snapshot, "huggingface cache"});
  }
  return out;
}

std::optional<ModelCandidate> discover_model(const std::optional<fs::path>& explicit_path, const fs::path& models_dir) {
  auto candidates = find_models(explicit_path, models_dir);
  if (candidates.empty()) return std::nullopt;
  return candidates.front();
}

}  // namespace semdraw

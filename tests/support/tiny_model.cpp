#include "support/tiny_model.h"

#include <unistd.h>

#include <string>
#include <system_error>

#include "semdraw/engine/make_model.h"

namespace semdraw::test {

namespace fs = std::filesystem;

namespace {
// <build>/test-models/<name>, made once by make-model and renamed into place
// (several test processes may race; the loser's copy is removed).
fs::path made_model(const std::string& preset, uint64_t seed) {
  const std::string name = preset + "-seed" + std::to_string(seed);
  const fs::path root = fs::path(SEMDRAW_BINARY_DIR) / "test-models";
  const fs::path final_dir = root / name;
  if (fs::is_regular_file(final_dir / "model_index.json")) return final_dir;
  fs::create_directories(root);
  const fs::path scratch = root / (name + ".tmp-" + std::to_string(::getpid()));
  fs::remove_all(scratch);
  MakeModelOptions options;
  options.preset = preset;
  options.seed = seed;
  options.out = scratch.string();
  options.resources_dir = SEMDRAW_SOURCE_DIR "/resources";
  make_model(options);
  std::error_code ec;
  fs::rename(scratch, final_dir, ec);  // fails harmlessly if another process won the race
  fs::remove_all(scratch, ec);
  return final_dir;
}
}  // namespace

const fs::path& tiny_model_dir() {
  static const fs::path dir = made_model("tiny", 7);
  return dir;
}

const fs::path& tiny_sdxl_model_dir() {
  static const fs::path dir = made_model("tiny-sdxl", 3);
  return dir;
}

}  // namespace semdraw::test

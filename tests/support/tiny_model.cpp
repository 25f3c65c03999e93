#include "support/tiny_model.h"

#include <string>

#include "semdraw/model_maker/make_model.h"
#include "support/made_once.h"

namespace semdraw::test {

namespace fs = std::filesystem;

namespace {
// <build>/test-models/<name>, made once per build tree by make-model.
fs::path made_model(const std::string& preset, uint64_t seed) {
  const fs::path target = fs::path(SEMDRAW_BINARY_DIR) / "test-models" / (preset + "-seed" + std::to_string(seed));
  return made_once(target, [&](const fs::path& scratch) {
    MakeModelOptions options;
    options.preset = preset;
    options.seed = seed;
    options.out = scratch.string();
    options.resources_dir = SEMDRAW_SOURCE_DIR "/resources";
    make_model(options);
  });
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

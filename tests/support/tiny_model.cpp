#include "support/tiny_model.h"

#include <unistd.h>

#include <system_error>

#include "semdraw/engine/make_model.h"

namespace semdraw::test {

namespace fs = std::filesystem;

const fs::path& tiny_model_dir() {
  static const fs::path dir = [] {
    const fs::path root = fs::path(SEMDRAW_BINARY_DIR) / "test-models";
    const fs::path final_dir = root / "tiny-seed7";
    if (fs::is_regular_file(final_dir / "model_index.json")) return final_dir;
    fs::create_directories(root);
    const fs::path scratch = root / ("tiny-seed7.tmp-" + std::to_string(::getpid()));
    fs::remove_all(scratch);
    MakeModelOptions options;
    options.preset = "tiny";
    options.seed = 7;
    options.out = scratch.string();
    options.resources_dir = SEMDRAW_SOURCE_DIR "/resources";
    make_model(options);
    std::error_code ec;
    fs::rename(scratch, final_dir, ec);  // fails harmlessly if another process won the race
    fs::remove_all(scratch, ec);
    return final_dir;
  }();
  return dir;
}

}  // namespace semdraw::test

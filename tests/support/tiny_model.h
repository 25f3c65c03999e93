#pragma once
// The tiny seeded model every engine test uses, written by the project's own
// make-model once per build tree (tests run as separate processes, so it is
// cached on disk; support/made_once.h makes concurrent first users wait for
// one maker instead of racing).
#include <filesystem>

namespace semdraw::test {

// <build>/test-models/tiny-seed7: `semdraw-cli make-model --preset tiny --seed 7`.
const std::filesystem::path& tiny_model_dir();
// <build>/test-models/tiny-sdxl-seed3: `semdraw-cli make-model --preset tiny-sdxl --seed 3`.
const std::filesystem::path& tiny_sdxl_model_dir();

}  // namespace semdraw::test

#pragma once
// make-model's tiny SDXL (--preset tiny-sdxl --seed 3) loaded on the test target.
#include "pipeline/model_bundle.h"
#include "support/test_device.h"
#include "support/tiny_model.h"

namespace semdraw::pipeline {

inline ModelBundle load_tiny_sdxl_on_target() {
  ModelBundleOptions options;
  options.model = test::tiny_sdxl_model_dir();
  options.device = test::target().device;
  options.dtype = test::target().dtype;
  return load_model_bundle(options);
}

}  // namespace semdraw::pipeline

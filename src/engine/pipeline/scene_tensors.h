#pragma once
// Plain scene arrays (semdraw/engine/scene.h) to tensors, and cheap
// fingerprints used to tell what an edit changed.
#include <ATen/ATen.h>

#include <cstddef>
#include <cstdint>

#include "semdraw/engine/scene.h"

namespace semdraw::pipeline {

// [H,W] float in [0,1]; bilinear-resized when the mask has another size; an
// empty mask is all zeros.
at::Tensor mask_to_tensor(const MaskImage& mask, int64_t height, int64_t width);

// [1,3,H,W] float in [0,1], bilinear-resized to the canvas.
at::Tensor image_to_tensor(const RgbImage& image, int64_t height, int64_t width);

// [1,3,H,W] in [0,1] -> 8-bit RGB.
RgbImage tensor_to_image(const at::Tensor& image);

// FNV-1a over bytes: identical inputs, identical fingerprint.
uint64_t fingerprint(const void* data, size_t bytes, uint64_t seed = 1469598103934665603ull);

}  // namespace semdraw::pipeline

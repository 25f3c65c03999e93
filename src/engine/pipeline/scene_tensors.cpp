#include "pipeline/scene_tensors.h"

#include <cstring>

namespace semdraw::pipeline {

at::Tensor mask_to_tensor(const MaskImage& mask, int64_t height, int64_t width) {
  if (mask.empty()) return at::zeros({height, width}, at::kFloat);
  at::Tensor values =
      at::from_blob(const_cast<float*>(mask.values.data()), {mask.height, mask.width}, at::kFloat).clone();
  values.clamp_(0.0, 1.0);
  if (mask.height == height && mask.width == width) return values;
  return at::upsample_bilinear2d(values.view({1, 1, mask.height, mask.width}), {height, width}, false)
      .view({height, width});
}

at::Tensor image_to_tensor(const RgbImage& image, int64_t height, int64_t width) {
  at::Tensor pixels =
      at::from_blob(const_cast<uint8_t*>(image.pixels.data()), {image.height, image.width, 3}, at::kByte);
  at::Tensor x = pixels.permute({2, 0, 1}).unsqueeze(0).to(at::kFloat) / 255.0;
  if (image.height == height && image.width == width) return x.contiguous();
  return at::upsample_bilinear2d(x, {height, width}, false).clamp(0.0, 1.0);
}

RgbImage tensor_to_image(const at::Tensor& image) {
  TORCH_CHECK(image.dim() == 4 && image.size(0) == 1 && image.size(1) == 3, "expected [1,3,H,W], got ", image.sizes());
  const at::Tensor bytes =
      (image[0].to(at::kCPU, at::kFloat).clamp(0.0, 1.0) * 255.0).round().to(at::kByte).permute({1, 2, 0}).contiguous();
  RgbImage out;
  out.height = static_cast<int>(image.size(2));
  out.width = static_cast<int>(image.size(3));
  out.pixels.resize(static_cast<size_t>(bytes.numel()));
  std::memcpy(out.pixels.data(), bytes.data_ptr<uint8_t>(), out.pixels.size());
  return out;
}

uint64_t fingerprint(const void* data, size_t bytes, uint64_t seed) {
  uint64_t hash = seed;
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < bytes; ++i) {
    hash ^= p[i];
    hash *= 1099511628211ull;
  }
  return hash;
}

}  // namespace semdraw::pipeline

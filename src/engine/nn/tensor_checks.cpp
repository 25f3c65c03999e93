#include "nn/tensor_checks.h"

#include <stdexcept>

namespace semdraw::nn {

std::string shape_string(at::IntArrayRef shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? "," : "") + std::to_string(shape[i]);
  return text + "]";
}

void check_image_batch(const at::Tensor& input, int64_t channels, int64_t multiple, const std::string& network,
                       const std::string& what) {
  if (input.dim() != 4 || input.size(1) != channels || input.size(2) % multiple || input.size(3) % multiple ||
      input.size(2) == 0 || input.size(3) == 0) {
    throw std::invalid_argument(network + ": " + what + " must be [batch, " + std::to_string(channels) +
                                ", H, W] with H and W positive multiples of " + std::to_string(multiple) + ", got " +
                                shape_string(input.sizes()));
  }
}

}  // namespace semdraw::nn

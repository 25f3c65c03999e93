#pragma once
// Input checks shared by the networks, with messages that show the shape.
#include <ATen/ATen.h>

#include <string>

namespace semdraw::nn {

// "[2,4,64,64]"
std::string shape_string(at::IntArrayRef shape);

// Throws std::invalid_argument("<network>: <what> must be [batch, C, H, W] with
// H and W positive multiples of <multiple>, got [...]") unless it is.
void check_image_batch(const at::Tensor& input, int64_t channels, int64_t multiple, const std::string& network,
                       const std::string& what);

}  // namespace semdraw::nn

#include "nn/layers.h"

#include <stdexcept>

namespace semdraw::nn {

Conv2dImpl::Conv2dImpl(const torch::nn::Conv2dOptions& options) {
  const auto* padding = std::get_if<torch::ExpandingArray<2>>(&options.padding());
  if (!padding || options.groups() != 1 || (*options.dilation())[0] != 1 || (*options.dilation())[1] != 1 ||
      !std::holds_alternative<torch::enumtype::kZeros>(options.padding_mode())) {
    throw std::invalid_argument("nn::Conv2d: only zero padding of explicit size, no dilation or groups");
  }
  const auto kernel = *options.kernel_size();
  stride_.assign(options.stride()->begin(), options.stride()->end());
  padding_.assign((*padding)->begin(), (*padding)->end());
  weight =
      register_parameter("weight", at::empty({options.out_channels(), options.in_channels(), kernel[0], kernel[1]}));
  if (options.bias()) bias = register_parameter("bias", at::empty({options.out_channels()}));
}

at::Tensor Conv2dImpl::forward(const at::Tensor& x) { return at::conv2d(x, weight, bias, stride_, padding_); }

LinearImpl::LinearImpl(const torch::nn::LinearOptions& options) {
  weight = register_parameter("weight", at::empty({options.out_features(), options.in_features()}));
  if (options.bias()) bias = register_parameter("bias", at::empty({options.out_features()}));
}

at::Tensor LinearImpl::forward(const at::Tensor& x) { return at::linear(x, weight, bias); }

}  // namespace semdraw::nn

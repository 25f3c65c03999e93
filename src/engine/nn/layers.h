#pragma once
// Conv2d and Linear with torch's parameter names ("weight", "bias") and the
// same arithmetic (at::conv2d, at::linear), minus torch's random default
// initialisation. Every network here is filled from a checkpoint right after
// it is built, and drawing ~1 B random numbers first took 3.2 s of SD1.5's
// 4.5 s load. Parameters start uninitialised (at::empty): a forward before
// the weights are loaded is a bug, and load_weights insists on every tensor.
#include <torch/nn/module.h>
#include <torch/nn/options/conv.h>
#include <torch/nn/options/linear.h>
#include <torch/nn/pimpl.h>

namespace semdraw::nn {

class Conv2dImpl : public torch::nn::Module {
 public:
  // torch's own options; dilation, groups and padding modes other than zero
  // padding with explicit sizes are refused (no network here uses them).
  explicit Conv2dImpl(const torch::nn::Conv2dOptions& options);
  at::Tensor forward(const at::Tensor& x);

  at::Tensor weight, bias;  // bias undefined when options.bias(false)

 private:
  std::vector<int64_t> stride_, padding_;
};
TORCH_MODULE(Conv2d);

class LinearImpl : public torch::nn::Module {
 public:
  LinearImpl(int64_t in_features, int64_t out_features)
      : LinearImpl(torch::nn::LinearOptions(in_features, out_features)) {}
  explicit LinearImpl(const torch::nn::LinearOptions& options);
  at::Tensor forward(const at::Tensor& x);

  at::Tensor weight, bias;
};
TORCH_MODULE(Linear);

}  // namespace semdraw::nn

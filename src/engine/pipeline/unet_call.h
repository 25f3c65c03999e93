#pragma once
// The UNet as the pipelines call it: op by op, or replayed from CUDA graphs
// (runtime/graphed_call.h) when the engine runs on a CUDA device. Copies share
// one graph cache, so the stream and the one-shot render reuse each other's
// graphs for equal shapes.
#include <ATen/ATen.h>

#include <memory>
#include <string>
#include <vector>

#include "nn/unet2d_condition.h"
#include "runtime/graphed_call.h"

namespace semdraw::pipeline {

class UNetCall {
 public:
  UNetCall() = default;
  // Through CUDA graphs where `graphs` accepts the inputs; op by op without a
  // backend. Implicit on purpose: a bare module is the plain way to call it.
  UNetCall(nn::UNet2DConditionModel unet,  // NOLINT(google-explicit-constructor)
           std::unique_ptr<GraphBackend> graphs = nullptr, GraphedCallOptions options = {});

  // As nn::UNet2DConditionModel::forward; timesteps move to the sample's device.
  // `added`: SDXL's pooled embedding and time ids (undefined for SD1.5).
  at::Tensor operator()(const at::Tensor& sample, const at::Tensor& timesteps, const at::Tensor& encoder_hidden_states,
                        const nn::AddedConditions& added = {}) const;

  const nn::UNetConfig& config() const { return unet_->config(); }
  explicit operator bool() const { return !unet_.is_empty(); }
  GraphedCallStats stats() const;
  std::vector<std::string> take_warnings() const;

 private:
  nn::UNet2DConditionModel unet_{nullptr};
  std::shared_ptr<GraphedCall> graphed_;  // counts the calls even when all are eager
};

}  // namespace semdraw::pipeline

#include "pipeline/unet_call.h"

#include <stdexcept>

namespace semdraw::pipeline {

UNetCall::UNetCall(nn::UNet2DConditionModel unet, std::unique_ptr<GraphBackend> graphs, GraphedCallOptions options)
    : unet_(std::move(unet)) {
  // The module is held by value in the lambda: graphs replay its weights'
  // memory, which must outlive them.
  graphed_ = std::make_shared<GraphedCall>(
      [module = unet_](const std::vector<at::Tensor>& in) mutable {
        at::NoGradGuard no_grad;
        if (in.size() == 5) return module->forward(in[0], in[1], in[2], {in[3], in[4]});
        return module->forward(in[0], in[1], in[2]);
      },
      std::move(graphs), options);
}

at::Tensor UNetCall::operator()(const at::Tensor& sample, const at::Tensor& timesteps,
                                const at::Tensor& encoder_hidden_states, const nn::AddedConditions& added) const {
  if (!graphed_) throw std::logic_error("UNetCall: no UNet");
  if (added.text_embeds.defined())
    return (*graphed_)({sample, timesteps.to(sample.device()), encoder_hidden_states, added.text_embeds,
                        added.time_ids.to(sample.device())});
  return (*graphed_)({sample, timesteps.to(sample.device()), encoder_hidden_states});
}

GraphedCallStats UNetCall::stats() const { return graphed_ ? graphed_->stats() : GraphedCallStats{}; }

std::vector<std::string> UNetCall::take_warnings() const {
  return graphed_ ? graphed_->take_warnings() : std::vector<std::string>{};
}

}  // namespace semdraw::pipeline

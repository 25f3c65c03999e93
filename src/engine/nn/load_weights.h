#pragma once
// Strict weight loading into torch::nn modules. Our modules are built so that
// their named_parameters()/named_buffers() are exactly the diffusers /
// transformers state-dict names ("down_blocks.0.resnets.0.norm1.weight"), so a
// checkpoint in canonical naming loads by name with no renaming here.
#include <torch/nn/module.h>

#include <string>

#include "io/safetensors.h"

namespace semdraw::nn {

// Copies every parameter and buffer of `module` from `weights[prefix + name]`.
// Collects all problems first, then throws one std::runtime_error that says
// `what` (e.g. "unet (model/unet/diffusion_pytorch_model.safetensors)") and
// lists the first few missing, unexpected and mis-shaped names with counts.
// Names in `weights` not starting with `prefix` are ignored. Buffers that the
// module marks as non-persistent are not expected in the checkpoint: list
// them in `optional` (exact names without prefix) to tolerate their absence.
void load_weights(torch::nn::Module& module, const io::StateDict& weights, const std::string& prefix,
                  const std::string& what, const std::vector<std::string>& optional = {});

// The module's parameters and buffers as a StateDict (names with `prefix`),
// sharing storage with the module. Used by make-model and by tests.
io::StateDict module_state(const torch::nn::Module& module, const std::string& prefix = "");

}  // namespace semdraw::nn

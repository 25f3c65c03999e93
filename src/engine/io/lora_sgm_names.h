#pragma once
// sd-scripts' SDXL LoRA names for UNet modules (used by lora_keys.cpp).
//
// kohya's sd-scripts trains SDXL on its own copy of the original SGM/LDM UNet,
// so its LoRA files name UNet modules the way an original single-file
// checkpoint does, with dots turned into underscores:
//   lora_unet_input_blocks_4_1_transformer_blocks_0_attn1_to_q
//                                       down_blocks.1.attentions.0.transformer_blocks.0.attn1.to_q
//   lora_unet_input_blocks_1_0_in_layers_2   down_blocks.0.resnets.0.conv1
//   lora_unet_middle_block_1_proj_in         mid_block.attentions.0.proj_in
//   lora_unet_output_blocks_2_2_conv         up_blocks.0.upsamplers.0.conv   (SDXL)
// Which input/output block index is which diffusers block depends on the
// UNet's shape (res blocks per level, which levels have attention), so the
// names are derived from the model's own canonical weights through the same
// table that maps single-file checkpoints (checkpoint_layout.h), never from
// fixed SDXL numbers.
#include <string>
#include <utility>
#include <vector>

#include "safetensors.h"

namespace semdraw::io::lora_detail {

// (kohya module name, canonical weight name) for every UNet weight of
// `canonical` that has a place in the original layout, e.g.
// ("lora_unet_input_blocks_4_1_proj_in", "unet.down_blocks.1.attentions.0.proj_in.weight").
// Empty when `canonical` has no UNet whose block structure can be read.
std::vector<std::pair<std::string, std::string>> sgm_unet_lora_names(const StateDict& canonical);

}  // namespace semdraw::io::lora_detail

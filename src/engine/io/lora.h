#pragma once
// LoRA fusion at load time: W += scale * (alpha / rank) * up * down, applied to
// the canonical StateDict (checkpoint_layout.h) before modules are filled, so
// inference runs at the base model's speed with no LoRA code in the networks.
//
// Understands diffusers/peft keys (lora_A/lora_B, lora.down/up,
// lora_linear_layer.down/up, old attention-processor names, optional .alpha)
// and kohya/A1111 keys (lora_unet_*, lora_te_*, .lora_down/.lora_up/.alpha),
// including sd-scripts' SDXL naming (UNet modules in the original SGM layout,
// lora_unet_input_blocks_*, mapped through the model's own block structure;
// lora_te1_/lora_te2_ for SDXL's two text encoders); see lora_keys.h.
// Linear and Conv2d targets: 1x1 convs and k x k convs whose down is
// [r, in, k, k] and up [out, r, 1, 1] (LCM-LoRA has both).
#include <map>
#include <string>
#include <vector>

#include "safetensors.h"

namespace semdraw::io {

struct LoraReport {
  int fused = 0;                       // modules (weights) changed
  std::vector<std::string> unmatched;  // LoRA keys that fit no weight of this model (sorted)
  std::string format;                  // "kohya", "peft", "diffusers", or several joined by '+'
};

// Fuses `lora` into `canonical` in place. Sums are computed in fp32 and
// written back in each weight's dtype and device; every changed weight is a
// new tensor (canonical tensors may be read-only views of a mapped file).
//
// Throws FormatError naming `source_name` (the LoRA file) when:
//  - no module of the LoRA matches a weight of the model, or none of its UNet
//    (or text encoder) modules does although it has some: a LoRA for another
//    architecture;
//  - a matched module's shapes do not fit the weight (names the key and both shapes);
//  - a module has a down weight without an up weight (or the reverse), a
//    non-scalar alpha, or is a DoRA / LoCon variant.
// On a throw `canonical` is unchanged: everything is checked before anything is written.
// Keys that fit nothing else are listed in LoraReport::unmatched (the caller
// reports them; a partial match is legitimate, e.g. lora_te2_ keys on SD1.5).
//
// `metadata` is the LoRA file's "__metadata__" (read_safetensors_header):
// diffusers >= 0.34 keeps a peft LoRA's alphas there, not in tensors, as the
// JSON entry "lora_adapter_metadata" ({"unet.lora_alpha": 8, "unet.alpha_pattern":
// {...}, "text_encoder.lora_alpha": ...}). Without it, or for modules it does
// not cover, a peft module without an ".alpha" tensor has alpha = rank.
LoraReport fuse_lora(StateDict& canonical, const StateDict& lora, double scale, const std::string& source_name,
                     const std::map<std::string, std::string>& metadata = {});

}  // namespace semdraw::io

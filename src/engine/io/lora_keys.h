#pragma once
// LoRA file keys -> LoRA modules -> canonical weight names (used by lora.cpp).
//
// Two families of key spellings exist in the wild:
//   diffusers / peft   unet.<module>.lora_A.weight, .lora_B.weight   (peft, current diffusers)
//                      unet.<module>.lora.down.weight / .lora.up.weight
//                      text_encoder.<module>.lora_linear_layer.down.weight / .up.weight
//                      unet.<...>.attn1.processor.to_q_lora.down.weight   (old attention processors)
//                      optional <module>.alpha
//   kohya / A1111      lora_unet_<module, dots as underscores>.lora_down.weight / .lora_up.weight / .alpha
//                      lora_te_<text encoder module>...
//                      SDXL (sd-scripts): lora_unet_<module in the original SGM layout>
//                      (input_blocks_4_1_..., middle_block_1_..., output_blocks_2_2_conv; see
//                      lora_sgm_names.h), lora_te1_ (text_encoder) and lora_te2_ (text_encoder_2)
// Kohya names lose the dots, and module names contain underscores of their
// own (to_out_0, time_emb_proj), so they are mapped back through a table
// built from the model's own canonical names rather than by guessing.
#include <map>
#include <string>
#include <vector>

#include "safetensors.h"

namespace semdraw::io::lora_detail {

enum class KeyFormat { kPeft, kDiffusers, kKohya };

struct LoraModule {
  std::string name;  // as spelled in the file, without the lora suffix
  KeyFormat format = KeyFormat::kPeft;
  bool processor_naming = false;          // "...processor.to_q_lora.down.weight": old diffusers attention processors
  std::string down_key;                   // [rank, in, (kh, kw)]
  std::string up_key;                     // [out, rank, (1, 1)]
  std::string alpha_key;                  // scalar; absent: alpha = rank
  std::string up_bias_key;                // peft lora_bias: [out], added to the module's bias
  std::vector<std::string> keys() const;  // every key of the file that belongs to this module
};

struct ParsedLora {
  std::vector<LoraModule> modules;        // in key order
  std::vector<std::string> unrecognized;  // keys that are no LoRA weight we know
};

// Groups the keys of a LoRA file into modules. Throws FormatError naming
// `source` and the key for DoRA / LoCon entries (their math is not a plain
// up*down product, and fusing them as one would silently give wrong weights).
ParsedLora parse_lora_keys(const StateDict& lora, const std::string& source);

// Which canonical component a module targets: "unet", "text_encoder",
// "text_encoder_2" (kohya lora_te2_ only), or "" for components of other models.
std::string target_component(const LoraModule& module);

// Resolves modules to canonical weight names ("unet.<...>.weight").
class CanonicalNames {
 public:
  explicit CanonicalNames(const StateDict& canonical);
  // "" when the model has no such weight. Throws FormatError (naming `source`)
  // when a kohya name fits two canonical weights.
  std::string resolve(const LoraModule& module, const std::string& source) const;

 private:
  const StateDict& canonical_;
  // kohya name without suffix -> canonical weight name ("" when ambiguous).
  std::map<std::string, std::string> kohya_;
};

}  // namespace semdraw::io::lora_detail

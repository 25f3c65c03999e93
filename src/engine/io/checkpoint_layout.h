#pragma once
// Checkpoint layouts -> one canonical naming.
//
// Canonical names are the diffusers / transformers state-dict names with a
// component prefix:
//   unet.<diffusers UNet2DConditionModel name>     unet.down_blocks.0.resnets.0.norm1.weight
//   text_encoder.<transformers CLIPTextModel name> text_encoder.text_model.embeddings.token_embedding.weight
//   vae.<diffusers AutoencoderKL name>             vae.decoder.up_blocks.0.resnets.0.conv1.weight
// (transformers >= 5.6 saves CLIPTextModel without the "text_model." level;
// we always put it back so that both spellings load the same.)
//
// Two layouts on disk are understood:
//   - a diffusers folder: unet/, text_encoder/, vae/ each with its own
//     safetensors file (or its .fp16 variant);
//   - a single file in the original CompVis/LDM layout: model.diffusion_model.*,
//     cond_stage_model.transformer.*, first_stage_model.*.
// The single-file mapping is a table of module prefixes built from the
// network's shape (UnetLayoutInfo / VaeLayoutInfo) plus a few renames inside
// ResNet and VAE attention blocks; the same table runs in both directions, so
// original -> canonical -> original is the identity on every mapped key.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "safetensors.h"

namespace semdraw::io {

inline constexpr const char* kUnetPrefix = "unet.";
inline constexpr const char* kTextEncoderPrefix = "text_encoder.";
inline constexpr const char* kTextEncoder2Prefix = "text_encoder_2.";  // SDXL's second encoder (folders only)
inline constexpr const char* kVaePrefix = "vae.";

// What the name mapping needs to know about a UNet2DConditionModel.
struct UnetLayoutInfo {
  int layers_per_block = 2;
  // Per down block (resolution level, top first): has cross-attention transformers.
  std::vector<bool> down_attention{true, true, true, false};
  // Per up block in diffusers order (lowest resolution first).
  std::vector<bool> up_attention{false, true, true, true};
  bool mid_attention = true;  // UNetMidBlock2DCrossAttn (resnet, transformer, resnet)

  int levels() const { return static_cast<int>(down_attention.size()); }
  static UnetLayoutInfo sd15() { return {}; }
  // From a diffusers unet/config.json (down_block_types, up_block_types,
  // layers_per_block, mid_block_type). Throws FormatError naming `source`.
  static UnetLayoutInfo from_config(const nlohmann::json& config, const std::string& source);
  bool operator==(const UnetLayoutInfo&) const = default;
};

// What the name mapping needs to know about an AutoencoderKL.
struct VaeLayoutInfo {
  int levels = 4;
  int layers_per_block = 2;  // encoder resnets per level; the decoder has one more

  static VaeLayoutInfo sd15() { return {}; }
  // From a diffusers vae/config.json (block_out_channels, layers_per_block).
  static VaeLayoutInfo from_config(const nlohmann::json& config, const std::string& source);
  bool operator==(const VaeLayoutInfo&) const = default;
};

// How a tensor changes shape between the layouts: the VAE mid-block attention
// stores q/k/v/proj_out as 1x1 convolutions [C,C,1,1] in the original layout
// and as linear layers [C,C] in diffusers.
enum class Reshape { kNone, kConv1x1ToLinear, kLinearToConv1x1 };

struct MappedName {
  std::string name;
  Reshape reshape = Reshape::kNone;
};

// Name-level mapping between the original single-file layout and canonical names.
class LayoutMapper {
 public:
  LayoutMapper(const UnetLayoutInfo& unet, const VaeLayoutInfo& vae);
  ~LayoutMapper();
  LayoutMapper(const LayoutMapper&) = delete;
  LayoutMapper& operator=(const LayoutMapper&) = delete;

  // nullopt for names outside the mapping (EMA copies, schedule buffers,
  // position_ids, keys of a differently shaped network).
  std::optional<MappedName> to_canonical(const std::string& original) const;
  std::optional<MappedName> to_original(const std::string& canonical) const;

 private:
  struct Tables;
  std::unique_ptr<Tables> tables_;
};

// Applies a Reshape; throws FormatError naming `name` when the shape does not fit.
at::Tensor apply_reshape(const at::Tensor& tensor, Reshape reshape, const std::string& name);

// Layout of the networks as seen from the names of an original-layout
// checkpoint (single files carry no config). Throw FormatError when the
// component is absent or its block numbering is inconsistent.
UnetLayoutInfo infer_unet_layout_from_original(const std::vector<std::string>& names);
VaeLayoutInfo infer_vae_layout_from_original(const std::vector<std::string>& names);
// The same from canonical names (e.g. to write a single file from a StateDict).
UnetLayoutInfo infer_unet_layout_from_canonical(const std::vector<std::string>& names);
VaeLayoutInfo infer_vae_layout_from_canonical(const std::vector<std::string>& names);
std::vector<std::string> names_of(const StateDict& tensors);

// Whole state dicts. Names that do not map are left out and, when `ignored`
// is given, appended to it (never fatal here). Two names mapping onto the same
// name is a FormatError.
StateDict original_to_canonical(const StateDict& original, const UnetLayoutInfo& unet,
                                const VaeLayoutInfo& vae = VaeLayoutInfo::sd15(),
                                std::vector<std::string>* ignored = nullptr);
StateDict canonical_to_original(const StateDict& canonical, const UnetLayoutInfo& unet,
                                const VaeLayoutInfo& vae = VaeLayoutInfo::sd15(),
                                std::vector<std::string>* ignored = nullptr);

enum class CheckpointLayout { kDiffusersFolder, kSingleFile };

// A folder is a diffusers folder (it must hold model_index.json or unet/);
// a regular file is a single file. Throws FormatError otherwise.
CheckpointLayout detect_layout(const std::filesystem::path& path);

// Reads unet/, text_encoder/ and vae/ of a diffusers folder into canonical
// names. options.prefix (a canonical prefix, e.g. "unet.") limits what is
// read; a component it selects that is missing is a FormatError, and so are
// .bin (pickle) weights. Names that are not weights (position_ids) go to `ignored`.
StateDict load_diffusers_folder(const std::filesystem::path& folder, const LoadOptions& options = {},
                                std::vector<std::string>* ignored = nullptr);

// A diffusers folder or an original-layout single file, as canonical names.
// For a single file the network shapes are inferred from its names; leftover
// names (model_ema.*, alphas_cumprod, ...) go to `ignored`. Every component
// that options.prefix selects must be present (FormatError otherwise).
StateDict load_checkpoint(const std::filesystem::path& path, const LoadOptions& options = {},
                          std::vector<std::string>* ignored = nullptr);

}  // namespace semdraw::io

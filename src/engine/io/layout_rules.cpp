// The table behind LayoutMapper: which module of the original (CompVis/LDM)
// single-file layout is which module in canonical (diffusers) naming.
//
// Learned from how diffusers converts LDM checkpoints; the rules here are our
// own formulation: a module-prefix table generated from the block structure,
// plus renames of the parameters inside ResNet and VAE attention blocks.
//
// UNet (original under model.diffusion_model.):
//   input_blocks.0.0            conv_in
//   input_blocks.i (i >= 1)     level l = (i-1) / (L+1), slot j = (i-1) % (L+1):
//                               j < L: .0 resnet -> down_blocks.l.resnets.j,
//                                      .1 transformer -> down_blocks.l.attentions.j
//                               j = L: .0.op -> down_blocks.l.downsamplers.0.conv
//   middle_block.0/1/2          mid_block.resnets.0 / attentions.0 / resnets.1
//   output_blocks.i             up block b = i / (L+1), slot j = i % (L+1):
//                               .0 resnet, .1 transformer (if any), then the
//                               upsampler conv at .1 or .2 on the last slot
//   time_embed.0/2, out.0/2     time_embedding.linear_1/2, conv_norm_out/conv_out
// VAE (original under first_stage_model.): encoder.down.l.block.j ->
//   encoder.down_blocks.l.resnets.j; decoder.up is numbered from the lowest
//   resolution in diffusers but from the highest in LDM, so
//   decoder.up.(levels-1-b) -> decoder.up_blocks.b; mid.block_1/2, mid.attn_1
//   -> mid_block.resnets.0/1, mid_block.attentions.0; nin_shortcut ->
//   conv_shortcut; attention q/k/v/proj_out/norm -> to_q/to_k/to_v/to_out.0/group_norm.
// Text encoder: cond_stage_model.transformer.text_model.* -> text_encoder.text_model.*
//   (transformers 5 saves CLIPTextModel without "text_model.": accepted one way).
#include <algorithm>
#include <map>
#include <set>

#include "checkpoint_layout.h"

namespace semdraw::io {
namespace {

constexpr const char* kOriginalUnet = "model.diffusion_model.";
constexpr const char* kOriginalText = "cond_stage_model.transformer.";
constexpr const char* kOriginalVae = "first_stage_model.";

// How parameters inside a mapped module are renamed.
enum class Kind { kSame, kUnetResnet, kVaeResnet, kVaeAttention };

using Renames = std::vector<std::pair<std::string, std::string>>;  // original sub-module, canonical sub-module

const Renames& renames(Kind kind) {
  static const Renames none;
  static const Renames unet_resnet{{"in_layers.0", "norm1"},          {"in_layers.2", "conv1"},
                                   {"emb_layers.1", "time_emb_proj"}, {"out_layers.0", "norm2"},
                                   {"out_layers.3", "conv2"},         {"skip_connection", "conv_shortcut"}};
  static const Renames vae_resnet{{"norm1", "norm1"},
                                  {"conv1", "conv1"},
                                  {"norm2", "norm2"},
                                  {"conv2", "conv2"},
                                  {"nin_shortcut", "conv_shortcut"}};
  static const Renames vae_attention{
      {"norm", "group_norm"}, {"q", "to_q"}, {"k", "to_k"}, {"v", "to_v"}, {"proj_out", "to_out.0"}};
  switch (kind) {
    case Kind::kUnetResnet: return unet_resnet;
    case Kind::kVaeResnet: return vae_resnet;
    case Kind::kVaeAttention: return vae_attention;
    case Kind::kSame: break;
  }
  return none;
}

struct Rule {
  std::string target;  // module prefix in the other layout
  Kind kind;
};

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.size() >= prefix.size() && text.compare(0, prefix.size(), prefix) == 0;
}

// Longest module prefix of `name` (cut at dots) present in `rules`.
std::optional<std::pair<std::string, const Rule*>> longest_rule(const std::map<std::string, Rule>& rules,
                                                                const std::string& name) {
  for (std::size_t cut = name.rfind('.'); cut != std::string::npos && cut > 0; cut = name.rfind('.', cut - 1)) {
    const auto found = rules.find(name.substr(0, cut));
    if (found != rules.end()) return std::make_pair(found->first, &found->second);
  }
  return std::nullopt;
}

// Renames the remainder ("in_layers.0.weight") of a name inside a module;
// nullopt when the parameter is not part of the module kind.
std::optional<std::string> rename_inside(Kind kind, const std::string& rest, bool to_canonical) {
  if (kind == Kind::kSame) return rest;
  for (const auto& [original, canonical] : renames(kind)) {
    const std::string& from = to_canonical ? original : canonical;
    const std::string& to = to_canonical ? canonical : original;
    if (starts_with(rest, from + ".") && rest.find('.', from.size() + 1) == std::string::npos) {
      return to + rest.substr(from.size());
    }
  }
  return std::nullopt;
}

Reshape reshape_for(Kind kind, const std::string& rest, bool to_canonical) {
  if (kind != Kind::kVaeAttention) return Reshape::kNone;
  static const std::set<std::string> projections{"q.weight",    "k.weight",    "v.weight",    "proj_out.weight",
                                                 "to_q.weight", "to_k.weight", "to_v.weight", "to_out.0.weight"};
  if (!projections.count(rest)) return Reshape::kNone;
  return to_canonical ? Reshape::kConv1x1ToLinear : Reshape::kLinearToConv1x1;
}

}  // namespace

struct LayoutMapper::Tables {
  std::map<std::string, Rule> from_original;   // original module -> canonical module
  std::map<std::string, Rule> from_canonical;  // canonical module -> original module

  // A module known under both names; `one_way` rules only read old spellings.
  void add(const std::string& original, const std::string& canonical, Kind kind, bool one_way = false) {
    from_original[original] = Rule{canonical, kind};
    if (!one_way) from_canonical[canonical] = Rule{original, kind};
  }

  void add_unet(const UnetLayoutInfo& info) {
    const std::string o = kOriginalUnet;
    const std::string c = kUnetPrefix;
    const int L = info.layers_per_block;
    const int levels = info.levels();
    if (static_cast<int>(info.up_attention.size()) != levels) {
      throw std::invalid_argument("UnetLayoutInfo: up_attention and down_attention differ in length");
    }
    add(o + "time_embed.0", c + "time_embedding.linear_1", Kind::kSame);
    add(o + "time_embed.2", c + "time_embedding.linear_2", Kind::kSame);
    add(o + "input_blocks.0.0", c + "conv_in", Kind::kSame);
    add(o + "out.0", c + "conv_norm_out", Kind::kSame);
    add(o + "out.2", c + "conv_out", Kind::kSame);
    for (int level = 0; level < levels; ++level) {
      const std::string down = c + "down_blocks." + std::to_string(level);
      for (int j = 0; j < L; ++j) {
        const std::string input = o + "input_blocks." + std::to_string(1 + level * (L + 1) + j);
        add(input + ".0", down + ".resnets." + std::to_string(j), Kind::kUnetResnet);
        if (info.down_attention[level]) add(input + ".1", down + ".attentions." + std::to_string(j), Kind::kSame);
      }
      if (level + 1 < levels) {
        add(o + "input_blocks." + std::to_string(1 + level * (L + 1) + L) + ".0.op", down + ".downsamplers.0.conv",
            Kind::kSame);
      }
    }
    add(o + "middle_block.0", c + "mid_block.resnets.0", Kind::kUnetResnet);
    if (info.mid_attention) {
      add(o + "middle_block.1", c + "mid_block.attentions.0", Kind::kSame);
      add(o + "middle_block.2", c + "mid_block.resnets.1", Kind::kUnetResnet);
    } else {
      add(o + "middle_block.1", c + "mid_block.resnets.1", Kind::kUnetResnet);
    }
    for (int block = 0; block < levels; ++block) {
      const std::string up = c + "up_blocks." + std::to_string(block);
      for (int j = 0; j <= L; ++j) {
        const std::string output = o + "output_blocks." + std::to_string(block * (L + 1) + j);
        add(output + ".0", up + ".resnets." + std::to_string(j), Kind::kUnetResnet);
        if (info.up_attention[block]) add(output + ".1", up + ".attentions." + std::to_string(j), Kind::kSame);
        if (j == L && block + 1 < levels) {
          add(output + (info.up_attention[block] ? ".2" : ".1") + ".conv", up + ".upsamplers.0.conv", Kind::kSame);
        }
      }
    }
  }

  void add_vae(const VaeLayoutInfo& info) {
    const std::string o = kOriginalVae;
    const std::string c = kVaePrefix;
    const int L = info.layers_per_block;
    for (const std::string part : {"encoder", "decoder"}) {
      add(o + part + ".conv_in", c + part + ".conv_in", Kind::kSame);
      add(o + part + ".conv_out", c + part + ".conv_out", Kind::kSame);
      add(o + part + ".norm_out", c + part + ".conv_norm_out", Kind::kSame);
      add(o + part + ".mid.block_1", c + part + ".mid_block.resnets.0", Kind::kVaeResnet);
      add(o + part + ".mid.block_2", c + part + ".mid_block.resnets.1", Kind::kVaeResnet);
      add(o + part + ".mid.attn_1", c + part + ".mid_block.attentions.0", Kind::kVaeAttention);
    }
    add(o + "quant_conv", c + "quant_conv", Kind::kSame);
    add(o + "post_quant_conv", c + "post_quant_conv", Kind::kSame);
    for (int level = 0; level < info.levels; ++level) {
      const std::string down = o + "encoder.down." + std::to_string(level);
      const std::string canonical_down = c + "encoder.down_blocks." + std::to_string(level);
      for (int j = 0; j < L; ++j) {
        add(down + ".block." + std::to_string(j), canonical_down + ".resnets." + std::to_string(j), Kind::kVaeResnet);
      }
      if (level + 1 < info.levels) add(down + ".downsample.conv", canonical_down + ".downsamplers.0.conv", Kind::kSame);
      // Decoder: LDM counts up blocks from the highest resolution, diffusers from the lowest.
      const int block = info.levels - 1 - level;
      const std::string up = o + "decoder.up." + std::to_string(level);
      const std::string canonical_up = c + "decoder.up_blocks." + std::to_string(block);
      for (int j = 0; j <= L; ++j) {
        add(up + ".block." + std::to_string(j), canonical_up + ".resnets." + std::to_string(j), Kind::kVaeResnet);
      }
      if (level > 0) add(up + ".upsample.conv", canonical_up + ".upsamplers.0.conv", Kind::kSame);
    }
  }

  void add_text_encoder() {
    const std::string o = kOriginalText;
    const std::string c = std::string(kTextEncoderPrefix) + "text_model.";
    for (const std::string part : {"embeddings", "encoder", "final_layer_norm"}) {
      add(o + "text_model." + part, c + part, Kind::kSame);
      add(o + part, c + part, Kind::kSame, /*one_way=*/true);  // transformers 5 writes no "text_model."
    }
  }
};

LayoutMapper::LayoutMapper(const UnetLayoutInfo& unet, const VaeLayoutInfo& vae) : tables_(std::make_unique<Tables>()) {
  tables_->add_unet(unet);
  tables_->add_vae(vae);
  tables_->add_text_encoder();
}

LayoutMapper::~LayoutMapper() = default;

namespace {

std::optional<MappedName> map_name(const std::map<std::string, Rule>& rules, const std::string& name,
                                   bool to_canonical) {
  // position_ids is a constant arange buffer that older transformers saved;
  // it is not a weight and current modules do not persist it.
  if (name.size() >= 13 && name.compare(name.size() - 13, 13, ".position_ids") == 0) return std::nullopt;
  const auto match = longest_rule(rules, name);
  if (!match) return std::nullopt;
  const auto& [module, rule] = *match;
  const std::string rest = name.substr(module.size() + 1);
  const auto inside = rename_inside(rule->kind, rest, to_canonical);
  if (!inside) return std::nullopt;
  return MappedName{rule->target + "." + *inside, reshape_for(rule->kind, rest, to_canonical)};
}

}  // namespace

std::optional<MappedName> LayoutMapper::to_canonical(const std::string& original) const {
  return map_name(tables_->from_original, original, true);
}

std::optional<MappedName> LayoutMapper::to_original(const std::string& canonical) const {
  return map_name(tables_->from_canonical, canonical, false);
}

at::Tensor apply_reshape(const at::Tensor& tensor, Reshape reshape, const std::string& name) {
  switch (reshape) {
    case Reshape::kNone: return tensor;
    case Reshape::kConv1x1ToLinear:
      if (tensor.dim() == 2) return tensor;  // some converters already stored it as linear
      if (tensor.dim() == 4 && tensor.size(2) == 1 && tensor.size(3) == 1) return tensor.flatten(1);
      if (tensor.dim() == 3 && tensor.size(2) == 1) return tensor.flatten(1);
      break;
    case Reshape::kLinearToConv1x1:
      if (tensor.dim() == 2) return tensor.reshape({tensor.size(0), tensor.size(1), 1, 1});
      break;
  }
  std::string shape;
  for (int64_t size : tensor.sizes()) {
    if (!shape.empty()) shape += ',';
    shape += std::to_string(size);
  }
  throw FormatError("tensor '" + name + "': shape [" + shape + "] is not a " +
                    (reshape == Reshape::kConv1x1ToLinear ? "1x1 convolution or linear" : "linear") +
                    " weight as the VAE attention needs");
}

// ---- layout inference -----------------------------------------------------

namespace {

// Distinct integers N of names "<prefix>N.<anything>".
std::set<int> indices_after(const std::vector<std::string>& names, const std::string& prefix) {
  std::set<int> found;
  for (const std::string& name : names) {
    if (!starts_with(name, prefix)) continue;
    const std::size_t end = name.find('.', prefix.size());
    const std::string digits = name.substr(prefix.size(), end - prefix.size());
    if (digits.empty() || digits.size() > 6 || !std::all_of(digits.begin(), digits.end(), ::isdigit)) continue;
    found.insert(std::stoi(digits));
  }
  return found;
}

bool any_starts_with(const std::vector<std::string>& names, const std::string& prefix) {
  return std::any_of(names.begin(), names.end(), [&](const std::string& name) { return starts_with(name, prefix); });
}

[[noreturn]] void layout_error(const std::string& what) { throw FormatError(what); }

}  // namespace

std::vector<std::string> names_of(const StateDict& tensors) {
  std::vector<std::string> names;
  names.reserve(tensors.size());
  for (const auto& item : tensors) names.push_back(item.first);
  return names;
}

UnetLayoutInfo infer_unet_layout_from_original(const std::vector<std::string>& names) {
  const std::string o = kOriginalUnet;
  const std::set<int> inputs = indices_after(names, o + "input_blocks.");
  if (inputs.empty()) layout_error("no UNet weights (model.diffusion_model.input_blocks.*) in the checkpoint");
  const int count = *inputs.rbegin() + 1;
  int first_downsampler = -1;
  for (int i : inputs) {
    if (any_starts_with(names, o + "input_blocks." + std::to_string(i) + ".0.op.")) {
      first_downsampler = i;
      break;
    }
  }
  UnetLayoutInfo info;
  // Downsampler of level 0 sits right after its L resnets: index L + 1.
  info.layers_per_block = first_downsampler > 0 ? first_downsampler - 1 : count - 1;
  const int L = info.layers_per_block;
  if (L < 1 || count % (L + 1) != 0) {
    layout_error("UNet input_blocks 0.." + std::to_string(count - 1) +
                 " do not form levels of equal size; not an SD-style UNet");
  }
  const int levels = count / (L + 1);
  info.down_attention.assign(levels, false);
  info.up_attention.assign(levels, false);
  for (int level = 0; level < levels; ++level) {
    info.down_attention[level] =
        any_starts_with(names, o + "input_blocks." + std::to_string(1 + level * (L + 1)) + ".1.");
    const std::string first_up = o + "output_blocks." + std::to_string(level * (L + 1)) + ".1.";
    info.up_attention[level] = any_starts_with(names, first_up) && !any_starts_with(names, first_up + "conv.");
  }
  const std::set<int> outputs = indices_after(names, o + "output_blocks.");
  if (outputs.empty() || *outputs.rbegin() + 1 != levels * (L + 1)) {
    layout_error("UNet output_blocks do not match " + std::to_string(levels) + " levels of " + std::to_string(L + 1) +
                 " blocks");
  }
  info.mid_attention = any_starts_with(names, o + "middle_block.2.");
  return info;
}

VaeLayoutInfo infer_vae_layout_from_original(const std::vector<std::string>& names) {
  const std::string o = kOriginalVae;
  const std::set<int> levels = indices_after(names, o + "encoder.down.");
  if (levels.empty()) layout_error("no VAE weights (first_stage_model.encoder.down.*) in the checkpoint");
  VaeLayoutInfo info;
  info.levels = *levels.rbegin() + 1;
  const std::set<int> blocks = indices_after(names, o + "encoder.down.0.block.");
  if (blocks.empty()) layout_error("VAE encoder.down.0 has no resnet blocks");
  info.layers_per_block = *blocks.rbegin() + 1;
  return info;
}

UnetLayoutInfo infer_unet_layout_from_canonical(const std::vector<std::string>& names) {
  const std::string c = kUnetPrefix;
  const std::set<int> downs = indices_after(names, c + "down_blocks.");
  if (downs.empty()) layout_error("no UNet weights (unet.down_blocks.*)");
  UnetLayoutInfo info;
  const int levels = *downs.rbegin() + 1;
  const std::set<int> resnets = indices_after(names, c + "down_blocks.0.resnets.");
  if (resnets.empty()) layout_error("unet.down_blocks.0 has no resnets");
  info.layers_per_block = *resnets.rbegin() + 1;
  info.down_attention.assign(levels, false);
  info.up_attention.assign(levels, false);
  for (int level = 0; level < levels; ++level) {
    info.down_attention[level] = any_starts_with(names, c + "down_blocks." + std::to_string(level) + ".attentions.");
    info.up_attention[level] = any_starts_with(names, c + "up_blocks." + std::to_string(level) + ".attentions.");
  }
  info.mid_attention = any_starts_with(names, c + "mid_block.attentions.");
  return info;
}

VaeLayoutInfo infer_vae_layout_from_canonical(const std::vector<std::string>& names) {
  const std::string c = kVaePrefix;
  const std::set<int> levels = indices_after(names, c + "encoder.down_blocks.");
  if (levels.empty()) layout_error("no VAE weights (vae.encoder.down_blocks.*)");
  const std::set<int> resnets = indices_after(names, c + "encoder.down_blocks.0.resnets.");
  if (resnets.empty()) layout_error("vae.encoder.down_blocks.0 has no resnets");
  return VaeLayoutInfo{*levels.rbegin() + 1, *resnets.rbegin() + 1};
}

// ---- from diffusers config.json ------------------------------------------

namespace {

template <typename T>
T config_field(const nlohmann::json& config, const std::string& source, const std::string& field) {
  if (!config.is_object() || !config.contains(field) || config.at(field).is_null()) {
    throw FormatError(source + ": field '" + field + "' is missing");
  }
  try {
    return config.at(field).get<T>();
  } catch (const nlohmann::json::exception& error) {
    throw FormatError(source + ": field '" + field + "' has the wrong type (" + error.what() + ")");
  }
}

int read_layers_per_block(const nlohmann::json& config, const std::string& source) {
  const nlohmann::json& value = config.contains("layers_per_block") ? config.at("layers_per_block") : nlohmann::json();
  if (value.is_array() && !value.empty()) {
    // Per-level counts are allowed by diffusers; the LDM numbering needs one.
    const auto counts = config_field<std::vector<int>>(config, source, "layers_per_block");
    if (std::adjacent_find(counts.begin(), counts.end(), std::not_equal_to<>()) != counts.end()) {
      throw FormatError(source +
                        ": field 'layers_per_block' differs per level; the single-file layout needs one value");
    }
    return counts.front();
  }
  const int count = config_field<int>(config, source, "layers_per_block");
  if (count < 1) throw FormatError(source + ": field 'layers_per_block' must be at least 1");
  return count;
}

}  // namespace

UnetLayoutInfo UnetLayoutInfo::from_config(const nlohmann::json& config, const std::string& source) {
  UnetLayoutInfo info;
  info.layers_per_block = read_layers_per_block(config, source);
  const auto down = config_field<std::vector<std::string>>(config, source, "down_block_types");
  const auto up = config_field<std::vector<std::string>>(config, source, "up_block_types");
  if (down.empty() || down.size() != up.size()) {
    throw FormatError(source + ": down_block_types and up_block_types must be non-empty and of equal length");
  }
  info.down_attention.clear();
  info.up_attention.clear();
  for (const std::string& type : down) info.down_attention.push_back(type.find("CrossAttn") != std::string::npos);
  for (const std::string& type : up) info.up_attention.push_back(type.find("CrossAttn") != std::string::npos);
  // diffusers' default mid block is the cross-attention one; null means none
  // (then there are no middle_block weights to map at all).
  const nlohmann::json mid =
      config.contains("mid_block_type") ? config.at("mid_block_type") : nlohmann::json("UNetMidBlock2DCrossAttn");
  info.mid_attention = mid.is_string() && mid.get<std::string>().find("CrossAttn") != std::string::npos;
  return info;
}

VaeLayoutInfo VaeLayoutInfo::from_config(const nlohmann::json& config, const std::string& source) {
  VaeLayoutInfo info;
  const auto channels = config_field<std::vector<int>>(config, source, "block_out_channels");
  if (channels.empty()) throw FormatError(source + ": field 'block_out_channels' is empty");
  info.levels = static_cast<int>(channels.size());
  info.layers_per_block = read_layers_per_block(config, source);
  return info;
}

}  // namespace semdraw::io

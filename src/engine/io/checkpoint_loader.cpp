// Loading a whole model (diffusers folder or original-layout single file)
// into canonical names, reading only the tensors that options.prefix selects.
#include <fstream>
#include <functional>
#include <set>

#include "checkpoint_layout.h"
#include "io/checkpoint_family.h"
#include "pickle_guard.h"

namespace semdraw::io {
namespace {

namespace fs = std::filesystem;

struct Component {
  std::string prefix;     // canonical prefix, e.g. "unet."
  std::string folder;     // sub-folder of a diffusers model
  std::string base;       // weight file name without extension
  std::string what;       // for messages
  bool optional = false;  // only some models have it (SDXL's second text encoder)
};

const std::vector<Component>& components() {
  static const std::vector<Component> list{
      {kUnetPrefix, "unet", "diffusion_pytorch_model", "UNet"},
      {kTextEncoderPrefix, "text_encoder", "model", "text encoder"},
      {kVaePrefix, "vae", "diffusion_pytorch_model", "VAE"},
      {kTextEncoder2Prefix, "text_encoder_2", "model", "second text encoder", true},
  };
  return list;
}

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.size() >= prefix.size() && text.compare(0, prefix.size(), prefix) == 0;
}

// Can a canonical name under `component` start with the requested prefix?
bool selected(const std::string& component, const std::string& prefix) {
  return starts_with(component, prefix) || starts_with(prefix, component);
}

using Rename = std::function<std::optional<MappedName>(const std::string&)>;

// Loads every tensor of `file` whose renamed name starts with options.prefix.
// Names that do not rename go to `ignored` as "<file>: <name>".
void load_renamed(const SafetensorsFile& file, const Rename& rename, const LoadOptions& options, StateDict& out,
                  std::map<std::string, std::string>& origin, std::vector<std::string>* ignored) {
  for (const auto& [name, info] : file.header().tensors) {
    const auto mapped = rename(name);
    if (!mapped) {
      if (ignored) ignored->push_back(name);
      continue;
    }
    if (!starts_with(mapped->name, options.prefix)) continue;
    const std::string source = file.path().string() + ": tensor '" + name + "'";
    const auto [previous, inserted] = origin.emplace(mapped->name, source);
    if (!inserted) {
      throw FormatError(source + " and " + previous->second + " both give '" + mapped->name +
                        "'; the checkpoint holds the same weight twice");
    }
    try {
      out.emplace(mapped->name, apply_reshape(file.load(name, options), mapped->reshape, name));
    } catch (const FormatError& error) {
      throw FormatError(file.path().string() + ": " + error.what());
    }
  }
}

// Shard files listed by a (diffusers/transformers) safetensors index.
std::vector<fs::path> shards_of(const fs::path& index) {
  std::ifstream in(index);
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& error) {
    throw FormatError(index.string() + ": not valid JSON: " + error.what());
  }
  if (!json.is_object() || !json.contains("weight_map") || !json.at("weight_map").is_object()) {
    throw FormatError(index.string() + ": field 'weight_map' is missing or not an object");
  }
  std::set<std::string> files;
  for (const auto& [tensor, file] : json.at("weight_map").items()) {
    if (!file.is_string()) throw FormatError(index.string() + ": weight_map entry '" + tensor + "' is not a file name");
    const std::string name = file.get<std::string>();
    // Shards live beside the index; anything else (paths, "..") is refused.
    if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") {
      throw FormatError(index.string() + ": weight_map entry '" + tensor + "' names '" + name +
                        "', which is not a file beside the index");
    }
    files.insert(name);
  }
  std::vector<fs::path> paths;
  for (const std::string& name : files) paths.push_back(index.parent_path() / name);
  return paths;
}

// The safetensors files holding one component of a diffusers folder: the
// plain file, a sharded index, or their fp16 variants, in that order.
std::vector<fs::path> component_files(const fs::path& folder, const Component& component) {
  const fs::path dir = folder / component.folder;
  const fs::path single = dir / (component.base + ".safetensors");
  if (fs::exists(single)) return {single};
  const fs::path index = dir / (component.base + ".safetensors.index.json");
  if (fs::exists(index)) return shards_of(index);
  const fs::path half = dir / (component.base + ".fp16.safetensors");
  if (fs::exists(half)) return {half};
  const fs::path half_index = dir / (component.base + ".safetensors.index.fp16.json");
  if (fs::exists(half_index)) return shards_of(half_index);
  for (const std::string& pickle : {component.base + ".bin", component.base + ".fp16.bin",
                                    std::string("pytorch_model.bin"), std::string("pytorch_model.fp16.bin")}) {
    if (fs::exists(dir / pickle)) {
      refuse_pickle(dir / pickle,
                    "the " + component.what + " weights of this diffusers folder are only in pickle form");
    }
  }
  throw FormatError(folder.string() + ": missing " + component.what + " weights: expected " + single.string() +
                    " (or its .fp16 variant)");
}

// diffusers before 0.14 called the VAE attention layers query/key/value/
// proj_attn; many published SD1.5 folders still carry those names (diffusers
// renames them when it loads). Same shapes (linear layers), other names.
std::string current_vae_attention_name(const std::string& name) {
  static const std::pair<std::string, std::string> renamed[] = {
      {".query.", ".to_q."}, {".key.", ".to_k."}, {".value.", ".to_v."}, {".proj_attn.", ".to_out.0."}};
  const size_t block = name.find(".attentions.");
  if (block == std::string::npos) return name;
  for (const auto& [old_part, new_part] : renamed) {
    const size_t at = name.find(old_part, block);
    if (at != std::string::npos) return name.substr(0, at) + new_part + name.substr(at + old_part.size());
  }
  return name;
}

// Names in a diffusers/transformers component file -> canonical names.
Rename folder_rename(const Component& component) {
  if (component.prefix == kVaePrefix) {
    return
        [](const std::string& name) { return MappedName{std::string(kVaePrefix) + current_vae_attention_name(name)}; };
  }
  if (component.prefix != kTextEncoderPrefix && component.prefix != kTextEncoder2Prefix) {
    return [prefix = component.prefix](const std::string& name) { return MappedName{prefix + name}; };
  }
  return [prefix = component.prefix](const std::string& name) -> std::optional<MappedName> {
    if (name.size() >= 13 && name.compare(name.size() - 13, 13, ".position_ids") == 0) return std::nullopt;
    // transformers >= 5.6 drops the "text_model." level of CLIPTextModel.
    for (const std::string part : {"embeddings.", "encoder.", "final_layer_norm."}) {
      if (starts_with(name, part)) return MappedName{prefix + "text_model." + name};
    }
    return MappedName{prefix + name};
  };
}

}  // namespace

CheckpointLayout detect_layout(const fs::path& path) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (!fs::exists(status)) throw FormatError(path.string() + ": no such file or folder");
  if (fs::is_directory(status)) {
    if (fs::exists(path / "model_index.json") || fs::is_directory(path / "unet")) {
      return CheckpointLayout::kDiffusersFolder;
    }
    throw FormatError(path.string() + ": folder is not a diffusers model (no model_index.json and no unet/)");
  }
  if (fs::is_regular_file(status)) return CheckpointLayout::kSingleFile;
  throw FormatError(path.string() + ": neither a regular file nor a folder");
}

StateDict load_diffusers_folder(const fs::path& folder, const LoadOptions& options, std::vector<std::string>* ignored) {
  StateDict tensors;
  std::map<std::string, std::string> origin;
  for (const Component& component : components()) {
    if (!selected(component.prefix, options.prefix)) continue;
    if (component.optional && !fs::is_directory(folder / component.folder)) continue;
    for (const fs::path& file : component_files(folder, component)) {
      std::vector<std::string> skipped;
      load_renamed(SafetensorsFile::open(file), folder_rename(component), options, tensors, origin, &skipped);
      if (ignored) {
        for (const std::string& name : skipped) ignored->push_back(file.string() + ": " + name);
      }
    }
  }
  return tensors;
}

namespace {

StateDict load_single_file(const fs::path& path, const LoadOptions& options, std::vector<std::string>* ignored) {
  const SafetensorsFile file = SafetensorsFile::open(path);
  std::vector<std::string> names;
  std::map<std::string, std::vector<int64_t>> shapes;
  for (const auto& item : file.header().tensors) {
    names.push_back(item.first);
    shapes.emplace(item.first, item.second.shape);
  }
  if (const auto other = recognise_unsupported_checkpoint(shapes)) throw FormatError(describe(*other, path.string()));

  // The network shapes come from the names; each selected component must be there.
  UnetLayoutInfo unet = UnetLayoutInfo::sd15();
  VaeLayoutInfo vae = VaeLayoutInfo::sd15();
  try {
    if (selected(kUnetPrefix, options.prefix)) unet = infer_unet_layout_from_original(names);
    if (selected(kVaePrefix, options.prefix)) vae = infer_vae_layout_from_original(names);
  } catch (const FormatError& error) {
    throw FormatError(path.string() + ": " + error.what() + " (expected the original single-file layout)");
  }
  const LayoutMapper mapper(unet, vae);
  if (selected(kTextEncoderPrefix, options.prefix)) {
    const bool present = std::any_of(names.begin(), names.end(), [&](const std::string& name) {
      const auto mapped = mapper.to_canonical(name);
      return mapped && starts_with(mapped->name, kTextEncoderPrefix);
    });
    if (!present) {
      throw FormatError(path.string() +
                        ": no text encoder weights (cond_stage_model.transformer.text_model.*) in the checkpoint "
                        "(single files are read in the SD1.x layout; SD2/SDXL text encoders are not supported yet)");
    }
  }
  StateDict tensors;
  std::map<std::string, std::string> origin;
  load_renamed(
      file, [&](const std::string& name) { return mapper.to_canonical(name); }, options, tensors, origin, ignored);
  return tensors;
}

}  // namespace

StateDict load_checkpoint(const fs::path& path, const LoadOptions& options, std::vector<std::string>* ignored) {
  if (detect_layout(path) == CheckpointLayout::kDiffusersFolder) return load_diffusers_folder(path, options, ignored);
  return load_single_file(path, options, ignored);
}

}  // namespace semdraw::io

#include "semdraw/model_maker/make_model.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "io/checkpoint_layout.h"
#include "io/safetensors.h"
#include "model/presets.h"
#include "model_maker/seeded_init.h"
#include "nn/autoencoder_kl.h"
#include "nn/clip_text_encoder.h"
#include "nn/taesd.h"
#include "nn/unet2d_condition.h"
#include "semdraw/fileio/atomic_write.h"

namespace semdraw {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct ParameterShape {
  std::string name;
  std::vector<int64_t> shape;
};

// Names and shapes of a network built from its config. Building the real
// module (rather than listing names by hand) guarantees that what we write
// is exactly what our loader, and diffusers, expect.
template <typename Module>
std::vector<ParameterShape> parameter_shapes(const Module& module) {
  std::vector<ParameterShape> shapes;
  for (const auto& item : module->named_parameters(/*recurse=*/true))
    shapes.push_back({item.key(), item.value().sizes().vec()});
  return shapes;
}

std::vector<ParameterShape> shapes_of(const std::string& component, const json& config, const std::string& preset) {
  const nn::ConfigReader reader(config, "preset " + preset + " " + component + "/config.json");
  if (component == "unet") return parameter_shapes(nn::UNet2DConditionModel(nn::UNetConfig::read(reader)));
  if (component == "text_encoder" || component == "text_encoder_2")
    return parameter_shapes(nn::ClipTextEncoder(nn::ClipTextConfig::from_reader(reader)));
  if (component == "vae") return parameter_shapes(nn::AutoencoderKL(nn::AutoencoderKLConfig::from_reader(reader)));
  if (component == "taesd") return parameter_shapes(nn::Taesd(nn::TaesdConfig::from_reader(reader)));
  throw std::logic_error("make-model: unknown component " + component);
}

void write_json(const fs::path& file, const json& value) {
  fs::create_directories(file.parent_path());
  fileio::write_atomically(file, value.dump(2) + '\n');
}

// A copy that is whole or absent, as every file the program writes.
void copy_atomically(const fs::path& source, const fs::path& target) {
  std::ifstream in(source, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) throw std::runtime_error(source.string() + ": cannot read");
  fileio::write_atomically(target, bytes);
}

// SDXL's tokenizer_2: the same vocabulary, padded with "!".
void pad_with_exclamation_mark(const fs::path& folder) {
  for (const char* name : {"special_tokens_map.json", "tokenizer_config.json"}) {
    const fs::path file = folder / name;
    if (!fs::exists(file)) continue;
    json config = json::parse(std::ifstream(file));
    config["pad_token"] = "!";
    write_json(file, config);
  }
}

fs::path find_resources(const std::string& given) {
  const auto has_vocab = [](const fs::path& dir) {
    return fs::exists(dir / "clip" / "vocab.json") && fs::exists(dir / "clip" / "merges.txt");
  };
  if (!given.empty()) {
    if (!has_vocab(given))
      throw std::runtime_error("--resources " + given + ": clip/vocab.json and clip/merges.txt are required there");
    return given;
  }
  std::vector<fs::path> starts{fs::current_path()};
  std::error_code ignored;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ignored);
  if (!exe.empty()) starts.push_back(exe.parent_path());
  for (fs::path dir : starts) {
    for (; !dir.empty(); dir = dir.parent_path()) {
      if (has_vocab(dir / "resources")) return dir / "resources";
      if (dir == dir.root_path()) break;
    }
  }
  throw std::runtime_error(
      "cannot find the CLIP vocabulary (resources/clip/vocab.json and merges.txt) above the working directory "
      "or the executable; pass --resources DIR");
}

std::map<std::string, std::string> metadata(const MakeModelOptions& options, const std::string& preset) {
  // "format": "pt" is what transformers / diffusers expect in safetensors headers.
  return {{"format", "pt"}, {"semdraw_preset", preset}, {"semdraw_seed", std::to_string(options.seed)}};
}

// Random rank-4 LoRA on every attention projection of the UNet, keyed the
// way diffusers' save_lora_weights writes peft adapters:
// "unet.<module>.lora_A.weight" [rank, in] and "unet.<module>.lora_B.weight" [out, rank].
io::StateDict make_lora(const std::vector<ParameterShape>& unet, uint64_t seed, at::ScalarType dtype) {
  constexpr int64_t kRank = 4;
  io::StateDict lora;
  for (const auto& p : unet) {
    const std::string& n = p.name;
    const bool attention = n.find(".attn1.") != std::string::npos || n.find(".attn2.") != std::string::npos;
    const bool projection = n.ends_with("to_q.weight") || n.ends_with("to_k.weight") || n.ends_with("to_v.weight") ||
                            n.ends_with("to_out.0.weight");
    if (!attention || !projection) continue;
    const std::string module = "unet." + n.substr(0, n.size() - std::string(".weight").size());
    const int64_t out = p.shape[0], in = p.shape[1];
    // A ~ N(0, 1/in); B small so the LoRA changes the output without swamping it.
    lora[module + ".lora_A.weight"] =
        model::seeded_parameter(seed, "lora." + module + ".lora_A.weight", {kRank, in}, dtype);
    lora[module + ".lora_B.weight"] =
        (model::seeded_normal(seed, "lora." + module + ".lora_B.weight", {out, kRank}) * 0.05).to(dtype);
  }
  return lora;
}

}  // namespace

MakeModelResult make_model(const MakeModelOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const model::ModelPreset preset = model::find_preset(options.preset);
  if (options.out.empty()) throw std::invalid_argument("--out is required");
  at::ScalarType dtype = preset.fp16_by_default ? at::kHalf : at::kFloat;
  if (options.dtype == "fp16")
    dtype = at::kHalf;
  else if (options.dtype == "fp32")
    dtype = at::kFloat;
  else if (!options.dtype.empty())
    throw std::invalid_argument("--dtype must be fp32 or fp16, not '" + options.dtype + "'");

  const fs::path out = options.out;
  if (fs::exists(out) && !(fs::is_directory(out) && fs::is_empty(out)))
    throw std::runtime_error(out.string() + ": already exists and is not an empty folder (refusing to overwrite)");
  const fs::path resources = find_resources(options.resources_dir);

  MakeModelResult result;
  const auto add = [&](const fs::path& relative) { result.files.push_back(relative.generic_string()); };

  write_json(out / "model_index.json", preset.model_index);
  add("model_index.json");
  write_json(out / "scheduler" / "scheduler_config.json", preset.scheduler);
  add("scheduler/scheduler_config.json");

  const bool sdxl = !preset.text_encoder_2.is_null();
  if (sdxl && !options.single_file.empty())
    throw std::invalid_argument("--single-file: only the SD1.x presets have a single-file layout here");
  // Tokenizer(s): the real CLIP vocabulary and its configs. SDXL's second
  // tokenizer pads with "!" instead of the end-of-text token.
  for (const char* folder : {"tokenizer", "tokenizer_2"}) {
    if (std::string(folder) == "tokenizer_2" && !sdxl) continue;
    fs::create_directories(out / folder);
    for (const char* name : {"vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json"}) {
      const fs::path source = resources / "clip" / name;
      if (!fs::exists(source)) continue;  // the two required ones were checked above
      copy_atomically(source, out / folder / name);
      add(fs::path(folder) / name);
    }
    if (std::string(folder) == "tokenizer_2") pad_with_exclamation_mark(out / folder);
  }

  struct Component {
    std::string name;  // folder
    const json* config;
    std::string weights_file;  // inside the folder
    std::string canonical;     // canonical prefix for the single file ("" = not in it)
  };
  const std::vector<Component> components = {
      {"unet", &preset.unet, "diffusion_pytorch_model.safetensors", io::kUnetPrefix},
      {"text_encoder", &preset.text_encoder, "model.safetensors", io::kTextEncoderPrefix},
      {"text_encoder_2", &preset.text_encoder_2, "model.safetensors", ""},
      {"vae", &preset.vae, "diffusion_pytorch_model.safetensors", io::kVaePrefix},
      {"taesd", &preset.taesd, "diffusion_pytorch_model.safetensors", ""},
  };
  io::StateDict canonical;  // only filled when a single file is wanted
  std::vector<ParameterShape> unet_shapes;
  for (const auto& component : components) {
    if (component.config->is_null()) continue;  // text_encoder_2 outside SDXL
    const std::vector<ParameterShape> shapes = shapes_of(component.name, *component.config, preset.name);
    if (component.name == "unet") unet_shapes = shapes;
    io::StateDict weights;
    for (const auto& p : shapes) {
      // The hash key includes the component so equal names in two networks differ.
      weights[p.name] = model::seeded_parameter(options.seed, component.name + "." + p.name, p.shape, dtype);
      result.parameters += weights[p.name].numel();
    }
    write_json(out / component.name / "config.json", *component.config);
    add(fs::path(component.name) / "config.json");
    io::save_safetensors(out / component.name / component.weights_file, weights, metadata(options, preset.name));
    add(fs::path(component.name) / component.weights_file);
    if (!options.single_file.empty() && !component.canonical.empty())
      for (auto& [name, tensor] : weights) canonical[component.canonical + name] = tensor;
  }

  if (!options.single_file.empty()) {
    const auto unet_layout =
        io::UnetLayoutInfo::from_config(preset.unet, "preset " + preset.name + " unet/config.json");
    const auto vae_layout = io::VaeLayoutInfo::from_config(preset.vae, "preset " + preset.name + " vae/config.json");
    std::vector<std::string> unmapped;
    const io::StateDict original = io::canonical_to_original(canonical, unet_layout, vae_layout, &unmapped);
    if (!unmapped.empty())
      throw std::runtime_error("--single-file: " + std::to_string(unmapped.size()) +
                               " weights have no original-layout name, e.g. " + unmapped.front());
    io::save_safetensors(options.single_file, original, metadata(options, preset.name));
    result.files.push_back(options.single_file);
  }
  if (!options.lora.empty()) {
    io::save_safetensors(options.lora, make_lora(unet_shapes, options.seed, dtype), metadata(options, preset.name));
    result.files.push_back(options.lora);
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace semdraw

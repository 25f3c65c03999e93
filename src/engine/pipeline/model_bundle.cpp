#include "pipeline/model_bundle.h"

#include <algorithm>
#include <sstream>

#include "family/model_family.h"
#include "io/checkpoint_layout.h"
#include "io/lora.h"
#include "model/presets.h"
#include "nn/config_reader.h"
#include "semdraw/engine/engine.h"

namespace semdraw::pipeline {

namespace fs = std::filesystem;

namespace {
void report(const LoadProgress& progress, const std::string& stage, double fraction) {
  if (progress && !progress(stage, fraction)) throw Cancelled("model loading was cancelled");
}

fs::path taesd_folder(const ModelBundleOptions& options) {
  if (!options.taesd.empty()) return options.taesd;
  std::error_code ec;
  const fs::path beside = fs::is_directory(options.model, ec) ? options.model / "taesd" : fs::path();
  return !beside.empty() && fs::is_regular_file(beside / "config.json", ec) ? beside : fs::path();
}

// Where each component's config comes from: the folder's config.json files,
// or, for a single-file checkpoint (which carries no config), the SD1.5
// preset — the only architecture our single-file layout mapping accepts.
struct ComponentConfigs {
  nn::ConfigReader unet, text_encoder, vae;
};

ComponentConfigs configs_for(const fs::path& model, io::CheckpointLayout layout) {
  if (layout == io::CheckpointLayout::kDiffusersFolder) {
    return {nn::ConfigReader::from_file(model / "unet/config.json"),
            nn::ConfigReader::from_file(model / "text_encoder/config.json"),
            nn::ConfigReader::from_file(model / "vae/config.json")};
  }
  const model::ModelPreset preset = model::find_preset("sd15");
  const std::string source = model.string() + " (single file; SD1.5 configuration)";
  return {nn::ConfigReader(preset.unet, source), nn::ConfigReader(preset.text_encoder, source),
          nn::ConfigReader(preset.vae, source)};
}

// What the configs say that the pipelines cannot run, refused before any
// weight is read: noise predictions other than epsilon (SD2-v and the like),
// and UNets that take more than the latent (inpainting, instruct models).
void refuse_what_the_pipelines_cannot_run(const fs::path& model, io::CheckpointLayout layout,
                                          const ComponentConfigs& configs) {
  const fs::path scheduler = model / "scheduler" / "scheduler_config.json";
  std::error_code ec;
  if (layout == io::CheckpointLayout::kDiffusersFolder && fs::is_regular_file(scheduler, ec)) {
    const nn::ConfigReader config = nn::ConfigReader::from_file(scheduler);
    const std::string prediction = config.get_or<std::string>("prediction_type", "epsilon");
    if (prediction != "epsilon") {
      config.fail("prediction_type", "is '" + prediction +
                                         "'; the LCM pipelines here need a model that predicts the noise ('epsilon'), "
                                         "as SD1.5-type models do");
    }
  }
  const int latent = configs.vae.get_or<int>("latent_channels", 4);
  for (const char* field : {"in_channels", "out_channels"}) {
    const int channels = configs.unet.get_or<int>(field, 4);
    if (channels != latent) {
      configs.unet.fail(field, "is " + std::to_string(channels) + " but the VAE's latent_channels is " +
                                   std::to_string(latent) +
                                   " (an inpainting or instruct UNet also takes a masked picture); use the regular "
                                   "version of this model");
    }
  }
}

fs::path taesd_weights(const fs::path& folder) {
  for (const char* name : {"diffusion_pytorch_model.safetensors", "diffusion_pytorch_model.fp16.safetensors"}) {
    if (fs::is_regular_file(folder / name)) return folder / name;
  }
  throw io::FormatError(folder.string() + ": no diffusion_pytorch_model.safetensors for TAESD");
}

// Fuses each LoRA into the canonical weights before any module is filled, so
// the networks run at the base model's speed. LoRA tensors are read as fp32:
// the sums are formed in fp32 whatever the weights' dtype.
void fuse_loras(const std::vector<LoraFile>& loras, io::StateDict& weights, std::vector<std::string>& notes,
                const LoadProgress& progress) {
  constexpr size_t kListed = 3;
  for (size_t i = 0; i < loras.size(); ++i) {
    const LoraFile& file = loras[i];
    report(progress, "LoRA " + file.path.filename().string(), 0.1 + 0.1 * static_cast<double>(i) / loras.size());
    io::LoadOptions lora_load;
    lora_load.dtype = at::kFloat;
    const io::StateDict lora = io::load_safetensors(file.path, lora_load);  // refuses pickle files
    // The header's metadata may hold peft alphas (diffusers >= 0.34).
    const io::LoraReport fused =
        io::fuse_lora(weights, lora, file.scale, file.path.string(), io::read_safetensors_header(file.path).metadata);
    std::ostringstream scale;
    scale << file.scale;  // "0.7", not std::to_string's "0.700000"
    std::string note = "LoRA " + file.path.string() + " (" + fused.format + ", scale " + scale.str() +
                       "): fused into " + std::to_string(fused.fused) + " weights";
    if (!fused.unmatched.empty()) {
      note += "; " + std::to_string(fused.unmatched.size()) + " keys match nothing in this model and were ignored:";
      for (size_t k = 0; k < std::min(kListed, fused.unmatched.size()); ++k) note += " " + fused.unmatched[k];
      if (fused.unmatched.size() > kListed) note += " ...";
    }
    notes.push_back(note);
  }
}
}  // namespace

ModelBundle load_model_bundle(const ModelBundleOptions& options, const LoadProgress& progress) {
  at::NoGradGuard no_grad;
  ModelBundle bundle;
  bundle.device = options.device;
  bundle.dtype = options.dtype;
  const fs::path& model = options.model;
  const io::CheckpointLayout layout = io::detect_layout(model);
  const ComponentConfigs configs = configs_for(model, layout);
  refuse_what_the_pipelines_cannot_run(model, layout, configs);

  report(progress, "reading weights", 0.0);
  io::LoadOptions load;
  load.dtype = options.dtype;
  load.keep_stored_dtype = true;  // zero-copy views; load_weights converts while copying
  std::vector<std::string> ignored;
  io::StateDict weights = io::load_checkpoint(model, load, &ignored);
  if (!ignored.empty()) bundle.notes.push_back(std::to_string(ignored.size()) + " checkpoint entries ignored");
  fuse_loras(options.loras, weights, bundle.notes, progress);
  std::vector<fs::path> lora_paths;
  for (const LoraFile& lora : options.loras) lora_paths.push_back(lora.path);
  bundle.default_sampler = choose_default_sampler(model, lora_paths);

  bundle.family = &family::family_of(model, layout);
  report(progress, "text encoders", 0.3);
  bundle.family->load_text_encoders(
      bundle, {model, layout, weights, configs.text_encoder, options.resources_dir, options.device, options.dtype});

  report(progress, "UNet", 0.45);
  bundle.unet = nn::UNet2DConditionModel(nn::UNetConfig::read(configs.unet));
  family::place_and_load(*bundle.unet, weights, "unet.", (model / "unet").string(), options.device, options.dtype);

  report(progress, "VAE", 0.8);
  const auto vae_config = nn::AutoencoderKLConfig::from_reader(configs.vae);
  bundle.vae = nn::AutoencoderKL(vae_config);
  // The SD VAE overflows in fp16 (its config says force_upcast): keep it fp32
  // there. bf16 has fp32's range, so a bf16 engine runs the VAE in bf16 too.
  const at::ScalarType vae_dtype = vae_config.force_upcast && options.dtype == at::kHalf ? at::kFloat : options.dtype;
  family::place_and_load(*bundle.vae, weights, "vae.", (model / "vae").string(), options.device, vae_dtype);

  if (const fs::path folder = taesd_folder(options); !folder.empty()) {
    report(progress, "TAESD", 0.9);
    const auto taesd_config = nn::TaesdConfig::from_file(folder / "config.json");
    if (taesd_config.latent_channels != vae_config.latent_channels) {
      throw io::FormatError((folder / "config.json").string() + ": latent_channels is " +
                            std::to_string(taesd_config.latent_channels) + " but this " + bundle.family->name() +
                            " model's VAE has " + std::to_string(vae_config.latent_channels) + "; use " +
                            bundle.family->taesd_variant() + " for this model");
    }
    bundle.taesd = nn::Taesd(taesd_config);
    io::LoadOptions taesd_load;
    taesd_load.dtype = options.dtype;
    family::place_and_load(*bundle.taesd, io::load_safetensors(taesd_weights(folder), taesd_load), "", folder.string(),
                           options.device, options.dtype);
  } else {
    bundle.notes.push_back("no TAESD found: live frames are decoded with the full VAE (slower); " +
                           bundle.family->taesd_variant() + " in " + (model / "taesd").string() + " would serve");
  }
  report(progress, "ready", 1.0);
  return bundle;
}

}  // namespace semdraw::pipeline

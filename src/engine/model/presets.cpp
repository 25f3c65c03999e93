#include "model/presets.h"

#include <stdexcept>

namespace semdraw::model {

using nlohmann::json;

namespace {

constexpr const char* kDiffusersVersion = "0.42.1";

json unet_config(json block_out_channels, json down_block_types, json up_block_types, int cross_attention_dim,
                 int heads, int sample_size) {
  // The fields of runwayml/stable-diffusion-v1-5's unet/config.json; the tiny
  // preset only narrows the widths.
  return json{{"_class_name", "UNet2DConditionModel"},
              {"_diffusers_version", kDiffusersVersion},
              {"act_fn", "silu"},
              {"attention_head_dim", heads},  // diffusers' quirk: this is the head count
              {"block_out_channels", block_out_channels},
              {"center_input_sample", false},
              {"cross_attention_dim", cross_attention_dim},
              {"down_block_types", down_block_types},
              {"downsample_padding", 1},
              {"flip_sin_to_cos", true},
              {"freq_shift", 0},
              {"in_channels", 4},
              {"layers_per_block", 2},
              {"mid_block_scale_factor", 1},
              {"norm_eps", 1e-5},
              {"norm_num_groups", 32},
              {"out_channels", 4},
              {"sample_size", sample_size},
              {"up_block_types", up_block_types}};
}

json clip_text_config(int hidden, int layers, int heads, int intermediate, int projection) {
  // openai/clip-vit-large-patch14's text tower as SD1.5 ships it, including its
  // legacy bos/eos/pad ids (the tokenizer, not these ids, drives our encoder).
  return json{{"architectures", {"CLIPTextModel"}},
              {"attention_dropout", 0.0},
              {"bos_token_id", 0},
              {"dropout", 0.0},
              {"eos_token_id", 2},
              {"hidden_act", "quick_gelu"},
              {"hidden_size", hidden},
              {"initializer_factor", 1.0},
              {"initializer_range", 0.02},
              {"intermediate_size", intermediate},
              {"layer_norm_eps", 1e-5},
              {"max_position_embeddings", 77},
              {"model_type", "clip_text_model"},
              {"num_attention_heads", heads},
              {"num_hidden_layers", layers},
              {"pad_token_id", 1},
              {"projection_dim", projection},
              {"torch_dtype", "float32"},
              {"vocab_size", 49408}};
}

json vae_config(json block_out_channels, int layers_per_block, int sample_size) {
  const size_t levels = block_out_channels.size();
  return json{{"_class_name", "AutoencoderKL"},
              {"_diffusers_version", kDiffusersVersion},
              {"act_fn", "silu"},
              {"block_out_channels", block_out_channels},
              {"down_block_types", std::vector<std::string>(levels, "DownEncoderBlock2D")},
              {"in_channels", 3},
              {"latent_channels", 4},
              {"layers_per_block", layers_per_block},
              {"norm_num_groups", 32},
              {"out_channels", 3},
              {"sample_size", sample_size},
              {"scaling_factor", 0.18215},
              {"up_block_types", std::vector<std::string>(levels, "UpDecoderBlock2D")}};
}

json taesd_config(int width, json encoder_blocks, json decoder_blocks) {
  // madebyollin/taesd's config.json (AutoencoderTiny).
  return json{{"_class_name", "AutoencoderTiny"},
              {"_diffusers_version", kDiffusersVersion},
              {"act_fn", "relu"},
              {"decoder_block_out_channels", {width, width, width, width}},
              {"encoder_block_out_channels", {width, width, width, width}},
              {"force_upcast", false},
              {"in_channels", 3},
              {"latent_channels", 4},
              {"latent_magnitude", 3},
              {"latent_shift", 0.5},
              {"num_decoder_blocks", decoder_blocks},
              {"num_encoder_blocks", encoder_blocks},
              {"out_channels", 3},
              {"scaling_factor", 1.0},
              {"upsampling_scaling_factor", 2}};
}

json lcm_scheduler_config() {
  // LCMScheduler.from_config(<SD1.5 scheduler config>), as the LCM-LoRA
  // recipe builds it: SD1.5's training schedule (scaled-linear betas
  // 0.00085 -> 0.012, steps_offset 1, set_alpha_to_one false) plus LCM's
  // 50-step original schedule and timestep scaling 10.
  return json{{"_class_name", "LCMScheduler"},
              {"_diffusers_version", kDiffusersVersion},
              {"beta_end", 0.012},
              {"beta_schedule", "scaled_linear"},
              {"beta_start", 0.00085},
              {"clip_sample", false},
              {"clip_sample_range", 1.0},
              {"dynamic_thresholding_ratio", 0.995},
              {"num_train_timesteps", 1000},
              {"original_inference_steps", 50},
              {"prediction_type", "epsilon"},
              {"rescale_betas_zero_snr", false},
              {"sample_max_value", 1.0},
              {"set_alpha_to_one", false},
              {"steps_offset", 1},
              {"thresholding", false},
              {"timestep_scaling", 10.0},
              {"timestep_spacing", "leading"},
              {"trained_betas", nullptr}};
}

json model_index() {
  // No safety checker / feature extractor: [null, null] tells diffusers the
  // component is deliberately absent.
  return json{{"_class_name", "StableDiffusionPipeline"},
              {"_diffusers_version", kDiffusersVersion},
              {"feature_extractor", {nullptr, nullptr}},
              {"image_encoder", {nullptr, nullptr}},
              {"requires_safety_checker", false},
              {"safety_checker", {nullptr, nullptr}},
              {"scheduler", {"diffusers", "LCMScheduler"}},
              {"text_encoder", {"transformers", "CLIPTextModel"}},
              {"tokenizer", {"transformers", "CLIPTokenizer"}},
              {"unet", {"diffusers", "UNet2DConditionModel"}},
              {"vae", {"diffusers", "AutoencoderKL"}}};
}

ModelPreset tiny() {
  ModelPreset preset;
  preset.name = "tiny";
  // Two UNet levels (one with cross-attention, one without: both block
  // kinds). The VAE keeps SD1.5's four levels so latents stay at 1/8 of the
  // image like the real model; 8x8 latents (64x64 images) by default.
  preset.unet =
      unet_config({32, 64}, {"CrossAttnDownBlock2D", "DownBlock2D"}, {"UpBlock2D", "CrossAttnUpBlock2D"}, 32, 8, 8);
  preset.text_encoder = clip_text_config(32, 2, 4, 37, 32);
  preset.vae = vae_config({32, 32, 64, 64}, 1, 64);
  preset.taesd = taesd_config(16, {1, 1, 1, 1}, {1, 1, 1, 1});
  preset.scheduler = lcm_scheduler_config();
  preset.model_index = model_index();
  return preset;
}

json sdxl_model_index() {
  json index = model_index();
  index["_class_name"] = "StableDiffusionXLPipeline";
  index.erase("safety_checker");
  index.erase("requires_safety_checker");
  index["force_zeros_for_empty_prompt"] = true;
  index["text_encoder_2"] = {"transformers", "CLIPTextModelWithProjection"};
  index["tokenizer_2"] = {"transformers", "CLIPTokenizer"};
  return index;
}

ModelPreset tiny_sdxl() {
  // SDXL's structure at the tiny widths: no attention at the first UNet
  // level, linear projections, two transformer layers at the second; both
  // text encoders, their hidden states concatenated (32 + 32 = 64 wide); the
  // added conditioning from the second encoder's pooled, projected embedding
  // (32) and six time ids (8 channels each); SDXL's VAE scaling factor.
  ModelPreset preset = tiny();
  preset.name = "tiny-sdxl";
  preset.unet =
      unet_config({32, 64}, {"DownBlock2D", "CrossAttnDownBlock2D"}, {"CrossAttnUpBlock2D", "UpBlock2D"}, 64, 8, 8);
  preset.unet["use_linear_projection"] = true;
  preset.unet["transformer_layers_per_block"] = {1, 2};
  preset.unet["addition_embed_type"] = "text_time";
  preset.unet["addition_time_embed_dim"] = 8;
  preset.unet["projection_class_embeddings_input_dim"] = 32 + 6 * 8;
  // Three layers each, so SDXL's clip skip (hidden_states[-(k + 2)]) has room.
  preset.text_encoder = clip_text_config(32, 3, 4, 37, 32);
  preset.text_encoder_2 = clip_text_config(32, 3, 4, 37, 32);
  preset.text_encoder_2["architectures"] = {"CLIPTextModelWithProjection"};
  preset.text_encoder_2["hidden_act"] = "gelu";
  preset.vae["scaling_factor"] = 0.13025;
  preset.model_index = sdxl_model_index();
  return preset;
}

ModelPreset sd15() {
  ModelPreset preset;
  preset.name = "sd15";
  preset.unet = unet_config(
      {320, 640, 1280, 1280}, {"CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"},
      {"UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"}, 768, 8, 64);
  preset.text_encoder = clip_text_config(768, 12, 12, 3072, 768);
  preset.vae = vae_config({128, 256, 512, 512}, 2, 512);
  preset.taesd = taesd_config(64, {1, 3, 3, 3}, {3, 3, 3, 1});
  preset.scheduler = lcm_scheduler_config();
  preset.model_index = model_index();
  preset.fp16_by_default = true;  // ~2 GB instead of ~4 GB; speed does not depend on values
  return preset;
}

}  // namespace

std::vector<std::string> preset_names() { return {"tiny", "sd15", "tiny-sdxl"}; }

ModelPreset find_preset(const std::string& name) {
  if (name == "tiny") return tiny();
  if (name == "sd15") return sd15();
  if (name == "tiny-sdxl") return tiny_sdxl();
  throw std::invalid_argument("unknown model preset '" + name + "' (known: tiny, sd15, tiny-sdxl)");
}

}  // namespace semdraw::model

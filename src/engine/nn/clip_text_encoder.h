#pragma once
// CLIP text tower (transformers' CLIPTextModel, or CLIPTextModelWithProjection
// when the config's architectures say so): token + position embeddings,
// pre-LayerNorm transformer layers with a causal mask, final LayerNorm, and
// the optional text projection of the pooled (end-of-text) token.
// The conditioning of SD1.5 is its last hidden state [B, 77, 768]; SDXL's
// second encoder also gives the projected pooled embedding.
//
// named_parameters() are exactly the checkpoint names of SD1.5 text encoders
// ("text_model.encoder.layers.0.self_attn.q_proj.weight", ...), so weights
// load with nn::load_weights(); pass optional_weights() as its `optional`.
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include <filesystem>
#include <string>
#include <vector>

#include "nn/config_reader.h"
#include "nn/layers.h"

namespace semdraw::nn {

// The fields of transformers' text_encoder/config.json that shape the network.
struct ClipTextConfig {
  int64_t vocab_size = 0;
  int64_t hidden_size = 0;
  int64_t intermediate_size = 0;
  int64_t num_attention_heads = 0;
  int64_t num_hidden_layers = 0;
  int64_t max_position_embeddings = 0;
  std::string hidden_act;  // quick_gelu | gelu | gelu_new | gelu_pytorch_tanh
  double layer_norm_eps = 1e-5;
  // CLIPTextModelWithProjection: a bias-free text_projection [projection_dim,
  // hidden_size] applied to the pooled token.
  bool with_projection = false;
  int64_t projection_dim = 0;
  // The pooled token is the first eos_token_id; the legacy value 2 (older
  // configs, SDXL's) means "the largest id", where CLIP's end-of-text sits.
  int64_t eos_token_id = 2;

  // Every shape field is required; errors name the file and the field.
  static ClipTextConfig from_reader(const ConfigReader& reader);
  static ClipTextConfig from_file(const std::filesystem::path& file);
};

class ClipAttentionImpl : public torch::nn::Module {
 public:
  ClipAttentionImpl(int64_t width, int64_t heads);
  at::Tensor forward(const at::Tensor& x);  // causal self-attention, [B,L,D]

 private:
  int64_t heads_;
  Linear q_proj_{nullptr}, k_proj_{nullptr}, v_proj_{nullptr}, out_proj_{nullptr};
};
TORCH_MODULE(ClipAttention);

class ClipMlpImpl : public torch::nn::Module {
 public:
  ClipMlpImpl(int64_t width, int64_t hidden, std::string activation);
  at::Tensor forward(const at::Tensor& x);

 private:
  std::string activation_;
  Linear fc1_{nullptr}, fc2_{nullptr};
};
TORCH_MODULE(ClipMlp);

class ClipEncoderLayerImpl : public torch::nn::Module {
 public:
  explicit ClipEncoderLayerImpl(const ClipTextConfig& config);
  at::Tensor forward(const at::Tensor& x);

 private:
  ClipAttention self_attn_{nullptr};
  torch::nn::LayerNorm layer_norm1_{nullptr}, layer_norm2_{nullptr};
  ClipMlp mlp_{nullptr};
};
TORCH_MODULE(ClipEncoderLayer);

class ClipTextEmbeddingsImpl : public torch::nn::Module {
 public:
  explicit ClipTextEmbeddingsImpl(const ClipTextConfig& config);
  at::Tensor forward(const at::Tensor& input_ids);

 private:
  torch::nn::Embedding token_embedding_{nullptr}, position_embedding_{nullptr};
};
TORCH_MODULE(ClipTextEmbeddings);

class ClipTextEncoderImpl : public torch::nn::Module {
 public:
  explicit ClipTextEncoderImpl(const ClipTextConfig& config);

  // input_ids: integer [B, L], L <= max_position_embeddings (77 for SD).
  // clip_skip = k skips the last k layers and applies final_layer_norm to the
  // output of layer (num_layers − k), as diffusers' encode_prompt(clip_skip=k)
  // does; 0 gives last_hidden_state. Returns [B, L, hidden_size].
  at::Tensor forward(const at::Tensor& input_ids, int clip_skip = 0);

  struct Outputs {
    at::Tensor hidden;  // [B, L, hidden_size]
    at::Tensor pooled;  // [B, projection_dim or hidden_size]
  };
  // hidden: the output of layer (num_layers − clip_skip), final-normed when
  // `final_norm` (SD1.5's clip skip) or raw (SDXL's hidden_states[-2]);
  // pooled: the final-normed last layer at the end-of-text token, projected
  // when the model has a text projection (transformers' text_embeds).
  Outputs encode(const at::Tensor& input_ids, int clip_skip, bool final_norm);

  const ClipTextConfig& config() const { return config_; }

  // Checkpoint names our module has but that a checkpoint may leave out.
  static std::vector<std::string> optional_weights();

 private:
  ClipTextConfig config_;
  // "text_model" holds embeddings / encoder.layers / final_layer_norm so the
  // parameter names carry the checkpoint's prefix.
  std::shared_ptr<torch::nn::Module> text_model_;
  ClipTextEmbeddings embeddings_{nullptr};
  torch::nn::ModuleList layers_{nullptr};
  torch::nn::LayerNorm final_layer_norm_{nullptr};
  Linear text_projection_{nullptr};

  at::Tensor checked_ids(const at::Tensor& input_ids, int clip_skip) const;
  at::Tensor pooled_token(const at::Tensor& normed_last, const at::Tensor& ids);
};
TORCH_MODULE(ClipTextEncoder);

}  // namespace semdraw::nn

#include "nn/clip_text_encoder.h"

#include <algorithm>
#include <stdexcept>

namespace semdraw::nn {

namespace {

bool known_activation(const std::string& name) {
  return name == "quick_gelu" || name == "gelu" || name == "gelu_new" || name == "gelu_pytorch_tanh";
}

at::Tensor activate(const at::Tensor& x, const std::string& name) {
  // quick_gelu is what OpenAI CLIP (SD1.x) was trained with: x·σ(1.702x).
  if (name == "quick_gelu") return x * at::sigmoid(x * 1.702);
  if (name == "gelu") return at::gelu(x);
  return at::gelu(x, "tanh");  // gelu_new / gelu_pytorch_tanh (validated at config time)
}

int64_t positive(const ConfigReader& reader, const std::string& field) {
  const auto value = reader.get<int64_t>(field);
  if (value < 1) reader.fail(field, "must be a positive integer, got " + std::to_string(value));
  return value;
}

}  // namespace

ClipTextConfig ClipTextConfig::from_reader(const ConfigReader& reader) {
  ClipTextConfig config;
  config.vocab_size = positive(reader, "vocab_size");
  config.hidden_size = positive(reader, "hidden_size");
  config.intermediate_size = positive(reader, "intermediate_size");
  config.num_attention_heads = positive(reader, "num_attention_heads");
  config.num_hidden_layers = positive(reader, "num_hidden_layers");
  config.max_position_embeddings = positive(reader, "max_position_embeddings");
  config.hidden_act = reader.get<std::string>("hidden_act");
  config.layer_norm_eps = reader.get<double>("layer_norm_eps");
  if (!known_activation(config.hidden_act)) {
    reader.fail("hidden_act",
                "is '" + config.hidden_act + "'; supported: quick_gelu, gelu, gelu_new, gelu_pytorch_tanh");
  }
  if (config.hidden_size % config.num_attention_heads != 0) {
    reader.fail("num_attention_heads", std::string("(") + std::to_string(config.num_attention_heads) +
                                           ") must divide hidden_size (" + std::to_string(config.hidden_size) + ")");
  }
  if (!(config.layer_norm_eps > 0)) reader.fail("layer_norm_eps", "must be positive");
  const auto architectures = reader.get_or<std::vector<std::string>>("architectures", {});
  config.with_projection =
      std::find(architectures.begin(), architectures.end(), "CLIPTextModelWithProjection") != architectures.end();
  if (config.with_projection) config.projection_dim = positive(reader, "projection_dim");
  config.eos_token_id = reader.get_or<int64_t>("eos_token_id", 2);
  return config;
}

ClipTextConfig ClipTextConfig::from_file(const std::filesystem::path& file) {
  return from_reader(ConfigReader::from_file(file));
}

ClipAttentionImpl::ClipAttentionImpl(int64_t width, int64_t heads) : heads_(heads) {
  q_proj_ = register_module("q_proj", Linear(width, width));
  k_proj_ = register_module("k_proj", Linear(width, width));
  v_proj_ = register_module("v_proj", Linear(width, width));
  out_proj_ = register_module("out_proj", Linear(width, width));
}

at::Tensor ClipAttentionImpl::forward(const at::Tensor& x) {
  const int64_t batch = x.size(0), length = x.size(1), width = x.size(2);
  const auto split = [&](const at::Tensor& t) {
    return t.view({batch, length, heads_, width / heads_}).transpose(1, 2);
  };
  // SDPA's default scale is head_dim^-0.5, CLIP's scale; causal like GPT.
  const at::Tensor attended =
      at::scaled_dot_product_attention(split(q_proj_(x)), split(k_proj_(x)), split(v_proj_(x)), /*attn_mask=*/{},
                                       /*dropout_p=*/0.0, /*is_causal=*/true);
  return out_proj_(attended.transpose(1, 2).reshape({batch, length, width}));
}

ClipMlpImpl::ClipMlpImpl(int64_t width, int64_t hidden, std::string activation) : activation_(std::move(activation)) {
  fc1_ = register_module("fc1", Linear(width, hidden));
  fc2_ = register_module("fc2", Linear(hidden, width));
}

at::Tensor ClipMlpImpl::forward(const at::Tensor& x) { return fc2_(activate(fc1_(x), activation_)); }

ClipEncoderLayerImpl::ClipEncoderLayerImpl(const ClipTextConfig& config) {
  const auto norm = [&] {
    return torch::nn::LayerNorm(torch::nn::LayerNormOptions({config.hidden_size}).eps(config.layer_norm_eps));
  };
  self_attn_ = register_module("self_attn", ClipAttention(config.hidden_size, config.num_attention_heads));
  layer_norm1_ = register_module("layer_norm1", norm());
  mlp_ = register_module("mlp", ClipMlp(config.hidden_size, config.intermediate_size, config.hidden_act));
  layer_norm2_ = register_module("layer_norm2", norm());
}

at::Tensor ClipEncoderLayerImpl::forward(const at::Tensor& x) {
  const at::Tensor h = x + self_attn_(layer_norm1_(x));
  return h + mlp_(layer_norm2_(h));
}

ClipTextEmbeddingsImpl::ClipTextEmbeddingsImpl(const ClipTextConfig& config) {
  token_embedding_ = register_module("token_embedding", torch::nn::Embedding(config.vocab_size, config.hidden_size));
  position_embedding_ =
      register_module("position_embedding", torch::nn::Embedding(config.max_position_embeddings, config.hidden_size));
  // Checkpoints written by transformers 4.x carry this buffer; we accept it
  // so they load, but positions are always 0..L-1 (some fine-tunes ship it
  // corrupted, e.g. as rounded floats), so forward never reads it.
  register_buffer("position_ids", at::arange(config.max_position_embeddings, at::kLong).unsqueeze(0));
}

at::Tensor ClipTextEmbeddingsImpl::forward(const at::Tensor& input_ids) {
  const int64_t length = input_ids.size(1);
  return token_embedding_(input_ids) + position_embedding_->weight.narrow(0, 0, length);
}

ClipTextEncoderImpl::ClipTextEncoderImpl(const ClipTextConfig& config) : config_(config) {
  text_model_ = register_module("text_model", std::make_shared<torch::nn::Module>());
  embeddings_ = text_model_->register_module("embeddings", ClipTextEmbeddings(config));
  auto encoder = text_model_->register_module("encoder", std::make_shared<torch::nn::Module>());
  layers_ = encoder->register_module("layers", torch::nn::ModuleList());
  for (int64_t i = 0; i < config.num_hidden_layers; ++i) layers_->push_back(ClipEncoderLayer(config));
  final_layer_norm_ = text_model_->register_module(
      "final_layer_norm",
      torch::nn::LayerNorm(torch::nn::LayerNormOptions({config.hidden_size}).eps(config.layer_norm_eps)));
  if (config.with_projection) {
    text_projection_ = register_module(
        "text_projection", Linear(torch::nn::LinearOptions(config.hidden_size, config.projection_dim).bias(false)));
  }
}

std::vector<std::string> ClipTextEncoderImpl::optional_weights() { return {"text_model.embeddings.position_ids"}; }

at::Tensor ClipTextEncoderImpl::checked_ids(const at::Tensor& input_ids, int clip_skip) const {
  if (input_ids.dim() != 2 || at::isFloatingType(input_ids.scalar_type())) {
    throw std::invalid_argument("CLIP text encoder: input ids must be an integer tensor [batch, tokens], got " +
                                std::to_string(input_ids.dim()) + " dims of " +
                                std::string(c10::toString(input_ids.scalar_type())));
  }
  if (input_ids.size(1) < 1 || input_ids.size(1) > config_.max_position_embeddings) {
    throw std::invalid_argument("CLIP text encoder: " + std::to_string(input_ids.size(1)) +
                                " tokens per prompt; the model takes 1.." +
                                std::to_string(config_.max_position_embeddings));
  }
  if (clip_skip < 0 || clip_skip >= config_.num_hidden_layers) {
    throw std::invalid_argument("CLIP text encoder: clip_skip " + std::to_string(clip_skip) + " must be in 0.." +
                                std::to_string(config_.num_hidden_layers - 1));
  }
  return input_ids.to(final_layer_norm_->weight.device(), at::kLong);
}

at::Tensor ClipTextEncoderImpl::forward(const at::Tensor& input_ids, int clip_skip) {
  return encode(input_ids, clip_skip, /*final_norm=*/true).hidden;
}

at::Tensor ClipTextEncoderImpl::pooled_token(const at::Tensor& normed_last, const at::Tensor& ids) {
  const at::Tensor position =
      config_.eos_token_id == 2 ? ids.argmax(-1) : (ids == config_.eos_token_id).to(at::kInt).argmax(-1);
  const at::Tensor rows = at::arange(ids.size(0), ids.options());
  at::Tensor pooled = normed_last.index({rows, position});
  if (text_projection_) pooled = text_projection_->forward(pooled);
  return pooled;
}

ClipTextEncoderImpl::Outputs ClipTextEncoderImpl::encode(const at::Tensor& input_ids, int clip_skip, bool final_norm) {
  const at::Tensor ids = checked_ids(input_ids, clip_skip);
  const size_t total = layers_->size();
  const size_t hidden_after = total - static_cast<size_t>(clip_skip);
  // The skipped layers only matter for a projection model's pooled output.
  const size_t run = text_projection_ ? total : hidden_after;
  Outputs out;
  at::Tensor x = embeddings_(ids);
  for (size_t i = 0; i < run; ++i) {
    if (i == hidden_after) out.hidden = final_norm ? final_layer_norm_(x) : x;
    x = layers_[i]->as<ClipEncoderLayerImpl>()->forward(x);
  }
  if (run < total) {
    out.hidden = final_norm ? final_layer_norm_(x) : x;
    return out;
  }
  const at::Tensor normed = final_layer_norm_(x);
  if (!out.hidden.defined()) out.hidden = final_norm ? normed : x;
  out.pooled = pooled_token(normed, ids);
  return out;
}

}  // namespace semdraw::nn

#include "nn/unet_transformer.h"

namespace semdraw::nn {

AttentionImpl::AttentionImpl(int query_dim, int context_dim, int heads, int head_dim) : heads_(heads) {
  const int inner = heads * head_dim;
  to_q_ = register_module("to_q", Linear(torch::nn::LinearOptions(query_dim, inner).bias(false)));
  to_k_ = register_module("to_k", Linear(torch::nn::LinearOptions(context_dim, inner).bias(false)));
  to_v_ = register_module("to_v", Linear(torch::nn::LinearOptions(context_dim, inner).bias(false)));
  // diffusers keeps [Linear, Dropout] in a ModuleList, hence "to_out.0".
  auto to_out = register_module("to_out", torch::nn::ModuleList());
  to_out_ = Linear(inner, query_dim);
  to_out->push_back(to_out_);
  to_out->push_back(torch::nn::Dropout(0.0));
}

at::Tensor AttentionImpl::forward(const at::Tensor& x, const at::Tensor& context) {
  const at::Tensor& source = context.defined() ? context : x;
  const int64_t batch = x.size(0);
  // [B,N,heads*dh] -> [B,heads,N,dh]
  const auto split = [&](const at::Tensor& t) { return t.view({batch, t.size(1), heads_, -1}).transpose(1, 2); };
  const at::Tensor q = split(to_q_->forward(x));
  const at::Tensor k = split(to_k_->forward(source));
  const at::Tensor v = split(to_v_->forward(source));
  // Default scale 1/sqrt(head_dim), as diffusers uses.
  const at::Tensor attended = at::scaled_dot_product_attention(q, k, v);
  return to_out_->forward(attended.transpose(1, 2).reshape({batch, x.size(1), -1}));
}

GegluFeedForwardImpl::GegluFeedForwardImpl(int dim, int inner_dim) {
  auto net = register_module("net", torch::nn::ModuleList());
  auto geglu = std::make_shared<torch::nn::Module>("GEGLU");
  proj_ = geglu->register_module("proj", Linear(dim, inner_dim * 2));
  out_ = Linear(inner_dim, dim);
  net->push_back(geglu);
  net->push_back(torch::nn::Dropout(0.0));
  net->push_back(out_);
}

at::Tensor GegluFeedForwardImpl::forward(const at::Tensor& x) {
  const auto halves = proj_->forward(x).chunk(2, -1);
  // Exact (erf) GELU on the gate half, as diffusers' GEGLU.
  return out_->forward(halves[0] * at::gelu(halves[1]));
}

BasicTransformerBlockImpl::BasicTransformerBlockImpl(int dim, int heads, int head_dim, int context_dim) {
  const auto layer_norm = [&] { return torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim}).eps(1e-5)); };
  norm1_ = register_module("norm1", layer_norm());
  attn1_ = register_module("attn1", Attention(dim, dim, heads, head_dim));
  norm2_ = register_module("norm2", layer_norm());
  attn2_ = register_module("attn2", Attention(dim, context_dim, heads, head_dim));
  norm3_ = register_module("norm3", layer_norm());
  ff_ = register_module("ff", GegluFeedForward(dim, dim * 4));
}

at::Tensor BasicTransformerBlockImpl::forward(const at::Tensor& x, const at::Tensor& context) {
  at::Tensor h = x + attn1_->forward(norm1_->forward(x));
  h = h + attn2_->forward(norm2_->forward(h), context);
  return h + ff_->forward(norm3_->forward(h));
}

Transformer2DModelImpl::Transformer2DModelImpl(const Transformer2DOptions& o) : linear_(o.use_linear_projection) {
  const int inner = o.heads * o.head_dim;
  // diffusers fixes this GroupNorm's eps at 1e-6 regardless of norm_eps.
  norm_ = register_module("norm", torch::nn::GroupNorm(torch::nn::GroupNormOptions(o.groups, o.channels).eps(1e-6)));
  if (linear_) {
    proj_in_ = torch::nn::AnyModule(register_module("proj_in", Linear(o.channels, inner)));
  } else {
    proj_in_ = torch::nn::AnyModule(register_module("proj_in", Conv2d(torch::nn::Conv2dOptions(o.channels, inner, 1))));
  }
  auto blocks = register_module("transformer_blocks", torch::nn::ModuleList());
  for (int i = 0; i < o.layers; ++i) {
    blocks_.push_back(BasicTransformerBlock(inner, o.heads, o.head_dim, o.context_dim));
    blocks->push_back(blocks_.back());
  }
  if (linear_) {
    proj_out_ = torch::nn::AnyModule(register_module("proj_out", Linear(inner, o.channels)));
  } else {
    proj_out_ =
        torch::nn::AnyModule(register_module("proj_out", Conv2d(torch::nn::Conv2dOptions(inner, o.channels, 1))));
  }
}

at::Tensor Transformer2DModelImpl::forward(const at::Tensor& x, const at::Tensor& context) {
  const int64_t batch = x.size(0), height = x.size(2), width = x.size(3);
  // [B,C,H,W] <-> [B,H*W,C] token layout for the transformer blocks.
  const auto to_tokens = [&](const at::Tensor& t) {
    return t.permute({0, 2, 3, 1}).reshape({batch, height * width, -1});
  };
  const auto to_map = [&](const at::Tensor& t) {
    return t.reshape({batch, height, width, -1}).permute({0, 3, 1, 2}).contiguous();
  };
  at::Tensor h = norm_->forward(x);
  h = linear_ ? proj_in_.forward(to_tokens(h)) : to_tokens(proj_in_.forward(h));
  for (auto& block : blocks_) h = block->forward(h, context);
  h = linear_ ? to_map(proj_out_.forward(h)) : proj_out_.forward(to_map(h));
  return h + x;
}

}  // namespace semdraw::nn

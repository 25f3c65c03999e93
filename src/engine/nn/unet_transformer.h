#pragma once
// The attention half of the UNet: diffusers' Transformer2DModel (continuous
// input) with BasicTransformerBlocks: self-attention, cross-attention to the
// text embeddings, GEGLU feed-forward. Names match diffusers ("attn1.to_q",
// "attn2.to_out.0", "ff.net.0.proj", "ff.net.2", "norm1".."norm3",
// "proj_in", "proj_out", "norm").
#include <torch/nn.h>

#include "nn/layers.h"

namespace semdraw::nn {

// Multi-head attention through at::scaled_dot_product_attention (which picks
// flash / memory-efficient kernels on CUDA). No bias on q/k/v, bias on out.
class AttentionImpl : public torch::nn::Module {
 public:
  AttentionImpl(int query_dim, int context_dim, int heads, int head_dim);
  // x [B,N,query_dim]; context [B,M,context_dim] or undefined for self-attention.
  at::Tensor forward(const at::Tensor& x, const at::Tensor& context = {});

 private:
  int heads_;
  Linear to_q_{nullptr}, to_k_{nullptr}, to_v_{nullptr}, to_out_{nullptr};
};
TORCH_MODULE(Attention);

// "ff": net.0 = GEGLU (proj: dim -> 2*inner), net.1 = dropout, net.2 = inner -> dim.
class GegluFeedForwardImpl : public torch::nn::Module {
 public:
  GegluFeedForwardImpl(int dim, int inner_dim);
  at::Tensor forward(const at::Tensor& x);

 private:
  Linear proj_{nullptr}, out_{nullptr};
};
TORCH_MODULE(GegluFeedForward);

class BasicTransformerBlockImpl : public torch::nn::Module {
 public:
  BasicTransformerBlockImpl(int dim, int heads, int head_dim, int context_dim);
  at::Tensor forward(const at::Tensor& x, const at::Tensor& context);

 private:
  torch::nn::LayerNorm norm1_{nullptr}, norm2_{nullptr}, norm3_{nullptr};
  Attention attn1_{nullptr}, attn2_{nullptr};
  GegluFeedForward ff_{nullptr};
};
TORCH_MODULE(BasicTransformerBlock);

struct Transformer2DOptions {
  int channels = 0;  // in = out channels of the feature map
  int heads = 8;
  int head_dim = 40;
  int layers = 1;
  int context_dim = 768;
  int groups = 32;
  bool use_linear_projection = false;  // SD2-style Linear proj_in/out instead of 1x1 conv
};

class Transformer2DModelImpl : public torch::nn::Module {
 public:
  explicit Transformer2DModelImpl(const Transformer2DOptions& options);
  // x [B,C,H,W], context [B,M,context_dim] -> [B,C,H,W]
  at::Tensor forward(const at::Tensor& x, const at::Tensor& context);

 private:
  bool linear_;
  torch::nn::GroupNorm norm_{nullptr};
  torch::nn::AnyModule proj_in_, proj_out_;  // Conv2d 1x1 or Linear
  std::vector<BasicTransformerBlock> blocks_;
};
TORCH_MODULE(Transformer2DModel);

}  // namespace semdraw::nn

#include "pipeline/latent_codec.h"

namespace semdraw::pipeline {

namespace {
// The dtype a module computes in (its first parameter's). The full VAE may be
// kept in fp32 while the UNet runs in fp16 (the SD VAE overflows in fp16), so
// inputs are cast in and results cast back to the caller's dtype.
at::ScalarType module_dtype(const torch::nn::Module& module) {
  const auto parameters = module.parameters();
  return parameters.empty() ? at::kFloat : parameters.front().scalar_type();
}
}  // namespace

at::Tensor KlCodec::encode(const at::Tensor& image) {
  at::NoGradGuard no_grad;
  const at::Tensor x = (image * 2.0 - 1.0).to(module_dtype(*vae_));
  const auto& config = vae_->config();
  return ((vae_->encode(x) - config.shift_factor) * config.scaling_factor).to(image.scalar_type());
}

at::Tensor KlCodec::decode(const at::Tensor& latent) {
  at::NoGradGuard no_grad;
  const auto& config = vae_->config();
  const at::Tensor z = (latent / config.scaling_factor + config.shift_factor).to(module_dtype(*vae_));
  return (vae_->decode(z) / 2.0 + 0.5).clamp(0.0, 1.0).to(latent.scalar_type());
}

at::Tensor TaesdCodec::encode(const at::Tensor& image) {
  at::NoGradGuard no_grad;
  const at::Tensor x = (image * 2.0 - 1.0).to(module_dtype(*taesd_));
  return (taesd_->encode(x) * taesd_->config().scaling_factor).to(image.scalar_type());
}

at::Tensor TaesdCodec::decode(const at::Tensor& latent) {
  at::NoGradGuard no_grad;
  const at::Tensor z = (latent / taesd_->config().scaling_factor).to(module_dtype(*taesd_));
  return (taesd_->decode(z) / 2.0 + 0.5).clamp(0.0, 1.0).to(latent.scalar_type());
}

}  // namespace semdraw::pipeline

#pragma once
// Images <-> the UNet's (scaled) latent space, with either the full SD VAE or
// TAESD behind one interface, so the pipelines do not care which is used.
#include <ATen/ATen.h>

#include "nn/autoencoder_kl.h"
#include "nn/taesd.h"

namespace semdraw::pipeline {

class LatentCodec {
 public:
  virtual ~LatentCodec() = default;
  // image [B,3,H,W] in [0,1] -> latent [B,4,H/f,W/f] in the UNet's scale.
  virtual at::Tensor encode(const at::Tensor& image) = 0;
  // latent -> image [B,3,H,W] in [0,1] (clamped).
  virtual at::Tensor decode(const at::Tensor& latent) = 0;
  // Pixels per latent along each axis (8 for every SD model).
  virtual int64_t downscale_factor() const = 0;
};

// The full VAE: latent = mean · scaling_factor (we never sample the
// distribution, so renders are deterministic); decode divides it out again.
class KlCodec final : public LatentCodec {
 public:
  explicit KlCodec(nn::AutoencoderKL vae) : vae_(std::move(vae)) {}
  at::Tensor encode(const at::Tensor& image) override;
  at::Tensor decode(const at::Tensor& latent) override;
  int64_t downscale_factor() const override { return vae_->config().downscale_factor(); }

 private:
  nn::AutoencoderKL vae_;
};

// TAESD works directly in the scaled latent space (its scaling_factor is 1).
class TaesdCodec final : public LatentCodec {
 public:
  explicit TaesdCodec(nn::Taesd taesd) : taesd_(std::move(taesd)) {}
  at::Tensor encode(const at::Tensor& image) override;
  at::Tensor decode(const at::Tensor& latent) override;
  int64_t downscale_factor() const override { return taesd_->config().downscale_factor(); }

 private:
  nn::Taesd taesd_;
};

}  // namespace semdraw::pipeline

#pragma once
// One prompt's conditioning as the pipelines use it: the text embeddings, and
// for SDXL also the pooled embedding; plus SDXL's time ids. SD1.x encodes with
// PromptEncoder, SDXL with SdxlPromptEncoder.
#include <ATen/ATen.h>

#include <string>

#include "pipeline/prompt_encoder.h"
#include "pipeline/sdxl_prompt_encoder.h"

namespace semdraw::pipeline {

struct Conditioning {
  at::Tensor embeds;  // [1,77,D]
  at::Tensor pooled;  // [1,P] for SDXL; undefined for SD1.x
  // lerp(this, other, weight) of both parts (a region's prompt strength).
  Conditioning lerp_to(const Conditioning& other, double weight) const;
};

// `sdxl` wins when set. A negative prompt that is empty is zeros for SDXL, as
// SDXL models ask (diffusers' force_zeros_for_empty_prompt).
Conditioning encode_conditioning(PromptEncoder* prompts, SdxlPromptEncoder* sdxl, const std::string& text,
                                 bool negative);

// SDXL's micro-conditioning for a picture of height x width pixels, of which
// the UNet sees the crop whose top-left corner is (crop_top, crop_left) in
// pixels (a tile of a larger canvas; 0, 0 for the whole picture):
// [batch, 6] = (h, w, crop_top, crop_left, h, w) per row.
at::Tensor sdxl_time_ids(int64_t height, int64_t width, int64_t batch, at::Device device, int64_t crop_top = 0,
                         int64_t crop_left = 0);

}  // namespace semdraw::pipeline

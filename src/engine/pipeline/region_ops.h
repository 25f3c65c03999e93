#pragma once
// The per-region tensor operations of docs/ALGORITHM.md §5 (mask-centring)
// and §6 (latent pre-averaging), shared by the one-shot and the stream pipelines.
#include <ATen/ATen.h>

#include <utility>
#include <vector>

namespace semdraw::pipeline {

// The roll that moves the centre of the mask's bounding box to the latent
// centre: ((t+b+1) div 2 - h div 2, (l+r+1) div 2 - w div 2), where t,b,l,r
// are the first/last occupied row and column (0 when nothing is occupied).
// mask: [h,w]. Computed on the host once per mask change, so the per-step
// rolls need no device synchronisation.
std::pair<int64_t, int64_t> mask_centre_shift(const at::Tensor& mask);

// x: [N,...,h,w] with one shift per entry; rolls each entry by its shift over
// the last two dimensions (or by the negated shift when `reverse`).
at::Tensor roll_entries(const at::Tensor& x, const std::vector<std::pair<int64_t, int64_t>>& shifts, bool reverse);

// Latent pre-averaging: denoised [T,p,C,h,w], masks [p,T,h,w], background
// [T,C,h,w] -> [T,C,h,w]:
//   sum_i m_i * d_i / count (where count > 0), then (1 - bg) * that + bg * background.
at::Tensor aggregate_regions(const at::Tensor& denoised, const at::Tensor& masks, const at::Tensor& background);

}  // namespace semdraw::pipeline

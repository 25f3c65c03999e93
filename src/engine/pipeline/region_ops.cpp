#include "pipeline/region_ops.h"

namespace semdraw::pipeline {

namespace {
// First and last index along a 1-D occupancy vector, (0, 0) when empty.
std::pair<int64_t, int64_t> occupied_span(const at::Tensor& occupied) {
  const at::Tensor indices = occupied.nonzero();
  if (indices.numel() == 0) return {0, 0};
  return {indices.min().item<int64_t>(), indices.max().item<int64_t>()};
}
}  // namespace

std::pair<int64_t, int64_t> mask_centre_shift(const at::Tensor& mask) {
  TORCH_CHECK(mask.dim() == 2, "mask_centre_shift takes [h,w], got ", mask.sizes());
  const at::Tensor cpu = mask.detach().to(at::kCPU, at::kFloat);
  const auto [top, bottom] = occupied_span(cpu.sum(1).gt(0));
  const auto [left, right] = occupied_span(cpu.sum(0).gt(0));
  const int64_t h = mask.size(0), w = mask.size(1);
  return {(top + bottom + 1) / 2 - h / 2, (left + right + 1) / 2 - w / 2};
}

at::Tensor roll_entries(const at::Tensor& x, const std::vector<std::pair<int64_t, int64_t>>& shifts, bool reverse) {
  TORCH_CHECK(x.size(0) == static_cast<int64_t>(shifts.size()), "roll_entries: ", x.size(0), " entries but ",
              shifts.size(), " shifts");
  std::vector<at::Tensor> rolled;
  rolled.reserve(shifts.size());
  const int64_t sign = reverse ? -1 : 1;
  for (size_t i = 0; i < shifts.size(); ++i) {
    const auto [dy, dx] = shifts[i];
    rolled.push_back(x[static_cast<int64_t>(i)].roll({sign * dy, sign * dx}, {-2, -1}));
  }
  return at::stack(rolled, 0);
}

at::Tensor aggregate_regions(const at::Tensor& denoised, const at::Tensor& masks, const at::Tensor& background) {
  TORCH_CHECK(denoised.dim() == 5, "denoised must be [T,p,C,h,w], got ", denoised.sizes());
  // masks [p,T,h,w] -> [T,p,1,h,w] to broadcast over channels.
  const at::Tensor m = masks.permute({1, 0, 2, 3}).unsqueeze(2).to(denoised.scalar_type());
  const at::Tensor count = m.sum(1);                  // [T,1,h,w]
  const at::Tensor weighted = (m * denoised).sum(1);  // [T,C,h,w]
  const at::Tensor averaged = at::where(count.gt(0), weighted / count.clamp_min(1e-12), weighted);
  const at::Tensor bg = (1.0 - count).clamp(0.0, 1.0);
  return (1.0 - bg) * averaged + bg * background;
}

}  // namespace semdraw::pipeline

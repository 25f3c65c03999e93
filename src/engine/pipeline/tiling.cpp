#include "pipeline/tiling.h"

namespace semdraw::pipeline {

namespace {
// Start offsets along one axis: every half window, the last one may be cut
// short by the canvas edge.
std::vector<int64_t> starts(int64_t size, int64_t window) {
  if (size <= window) return {0};
  const int64_t stride = window / 2;
  const int64_t count = (size - window + stride - 1) / stride + 1;
  std::vector<int64_t> out;
  for (int64_t i = 0; i < count; ++i) out.push_back(i * stride);
  return out;
}

// The ramp of tile `index` of `count` along one axis: a triangle rising over
// the first half and falling over the second, except that the first tile
// keeps weight one on its leading half and the last on its trailing half, so
// overlapping tiles at half-window stride sum to one.
std::vector<float> ramp(int64_t window, int64_t index, int64_t count) {
  if (count == 1) return std::vector<float>(static_cast<size_t>(window), 1.f);
  const int64_t half = (window + 1) / 2;
  std::vector<float> up(static_cast<size_t>(half));
  for (int64_t i = 0; i < half; ++i) up[static_cast<size_t>(i)] = half == 1 ? 1.f : float(i) / float(half - 1);
  std::vector<float> down(up.rbegin(), up.rend());
  if (window % 2 == 1) down.erase(down.begin());  // odd windows share the peak
  std::vector<float> out = up;
  out.insert(out.end(), down.begin(), down.end());
  if (index == 0) std::fill(out.begin(), out.begin() + window / 2, 1.f);
  if (index == count - 1) std::fill(out.end() - window / 2, out.end(), 1.f);
  return out;
}
}  // namespace

std::vector<TileView> tile_views(int64_t height, int64_t width, int64_t window) {
  TORCH_CHECK(window >= 2, "tile window must be at least 2 latent pixels");
  const auto rows = starts(height, window), cols = starts(width, window);
  std::vector<TileView> views;
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < cols.size(); ++c) {
      TileView view;
      view.top = rows[r];
      view.bottom = std::min(rows[r] + window, height);
      view.left = cols[c];
      view.right = std::min(cols[c] + window, width);
      const int64_t h_window = rows.size() == 1 ? height : window;
      const int64_t w_window = cols.size() == 1 ? width : window;
      const auto wy = ramp(h_window, static_cast<int64_t>(r), static_cast<int64_t>(rows.size()));
      const auto wx = ramp(w_window, static_cast<int64_t>(c), static_cast<int64_t>(cols.size()));
      const at::Tensor y = at::tensor(wy).narrow(0, 0, view.bottom - view.top);
      const at::Tensor x = at::tensor(wx).narrow(0, 0, view.right - view.left);
      view.weight = y.unsqueeze(1) * x.unsqueeze(0);
      views.push_back(std::move(view));
    }
  }
  return views;
}

}  // namespace semdraw::pipeline

#include "app/canvas/flood_fill.h"

#include <algorithm>
#include <vector>

namespace semdraw::app {

namespace {

// Per pixel, the strongest coverage of any enabled region: what the artist
// sees as painted.
std::vector<uchar> composite_coverage(const doc::Document& document, int w, int h) {
  std::vector<uchar> coverage(static_cast<size_t>(w) * h, 0);
  for (const auto& region : document.regions()) {
    if (!region.enabled) continue;
    for (int y = 0; y < h; ++y) {
      const uchar* row = region.mask.constScanLine(y);
      uchar* out = coverage.data() + static_cast<size_t>(y) * w;
      for (int x = 0; x < w; ++x) out[x] = std::max(out[x], row[x]);
    }
  }
  return coverage;
}

// Grows `inside` from every pixel already in it to the 4-neighbours that
// `enter(from, to)` accepts (indices into the w x h grid).
template <typename Enter>
void grow(std::vector<uchar>& inside, int w, int h, std::vector<size_t> todo, Enter enter) {
  while (!todo.empty()) {
    const size_t i = todo.back();
    todo.pop_back();
    const int x = static_cast<int>(i % static_cast<size_t>(w)), y = static_cast<int>(i / static_cast<size_t>(w));
    const size_t next[4] = {i + 1, i - 1, i + static_cast<size_t>(w), i - static_cast<size_t>(w)};
    const bool valid[4] = {x + 1 < w, x > 0, y + 1 < h, y > 0};
    for (int k = 0; k < 4; ++k) {
      if (!valid[k] || inside[next[k]] || !enter(i, next[k])) continue;
      inside[next[k]] = 1;
      todo.push_back(next[k]);
    }
  }
}

// The pixels of `inside` with a 4-neighbour outside it: where growing starts.
std::vector<size_t> border(const std::vector<uchar>& inside, int w, int h) {
  std::vector<size_t> out;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const size_t i = static_cast<size_t>(y) * w + x;
      if (!inside[i]) continue;
      if ((x + 1 < w && !inside[i + 1]) || (x > 0 && !inside[i - 1]) ||
          (y + 1 < h && !inside[i + static_cast<size_t>(w)]) || (y > 0 && !inside[i - static_cast<size_t>(w)]))
        out.push_back(i);
    }
  return out;
}

}  // namespace

QRect flood_fill(const doc::Document& document, QImage& mask, QPoint seed) {
  const int w = mask.width(), h = mask.height();
  if (!mask.rect().contains(seed)) return {};
  const std::vector<uchar> coverage = composite_coverage(document, w, h);
  const auto painted = [&](size_t i) { return coverage[i] >= kPaintedThreshold; };
  const size_t start = static_cast<size_t>(seed.y()) * w + seed.x();
  const bool target = painted(start);

  // 1. The area the artist clicked: same painted state as the seed. The
  //    threshold sits in the middle of a soft edge, so a line with a soft
  //    edge bounds the fill as firmly as a hard one.
  std::vector<uchar> inside(coverage.size(), 0);
  inside[start] = 1;
  grow(inside, w, h, {start}, [&](size_t, size_t to) { return painted(to) == target; });
  // 2. Filling empty canvas against a stroke: follow the stroke's
  //    anti-aliased edge uphill to its core (stop where it is fully covered
  //    or starts to fall again), so the fill tucks under the whole soft edge
  //    and meets the core with no white seam and no pale fringe. Going only
  //    uphill means it never crosses a line to the far side, whatever the
  //    brush's feather width.
  if (!target)
    grow(inside, w, h, border(inside, w, h),
         [&](size_t from, size_t to) { return coverage[to] < 255 && coverage[to] >= coverage[from]; });

  int left = w, top = h, right = -1, bottom = -1;
  for (int y = 0; y < h; ++y) {
    uchar* row = mask.scanLine(y);
    for (int x = 0; x < w; ++x) {
      if (!inside[static_cast<size_t>(y) * w + x] || row[x] == 255) continue;
      row[x] = 255;
      left = std::min(left, x);
      right = std::max(right, x);
      top = std::min(top, y);
      bottom = std::max(bottom, y);
    }
  }
  if (right < 0) return {};
  return QRect(QPoint(left, top), QPoint(right, bottom));
}

}  // namespace semdraw::app

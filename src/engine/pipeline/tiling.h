#pragma once
// Overlapping tiles for canvases larger than one tile (docs/ALGORITHM.md §7): stride
// half a tile, linear-ramp weights that sum to one at every latent pixel.
#include <ATen/ATen.h>

#include <cstdint>
#include <vector>

namespace semdraw::pipeline {

struct TileView {
  int64_t top = 0, bottom = 0, left = 0, right = 0;  // latent rows [top,bottom), columns [left,right)
  at::Tensor weight;                                 // [bottom-top, right-left]
};

// window: the tile side in latent pixels. A canvas that fits one window is a
// single view with weight one.
std::vector<TileView> tile_views(int64_t height, int64_t width, int64_t window);

}  // namespace semdraw::pipeline

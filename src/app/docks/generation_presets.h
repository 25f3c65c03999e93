#pragma once
// The choices the generation panel offers, and the checks on what is typed.
#include <QSize>
#include <QString>
#include <optional>
#include <vector>

namespace semdraw::app {

// Step indices into the 50-step LCM schedule (docs/ALGORITHM.md §1: index i is timestep
// 999 - 20 i). The stream runs one UNet entry per index and region, so fewer
// indices = faster frames, more = cleaner ones.
struct StepPreset {
  const char* label;
  std::vector<int> indices;
};
const std::vector<StepPreset>& step_presets();

// "0, 4, 12" (commas and/or spaces) -> {0, 4, 12}: 1 to 50 indices, each in
// 0..49, strictly increasing; otherwise nullopt and *error says why.
std::optional<std::vector<int>> parse_step_indices(const QString& text, QString* error);
QString format_step_indices(const std::vector<int>& indices);

struct CanvasPreset {
  const char* label;
  QSize size;
};
const std::vector<CanvasPreset>& canvas_presets();

// Canvas sides the engine takes: positive multiples of 8 up to kMaxCanvasSide.
bool valid_canvas_size(QSize size);
// `image` scaled down (aspect kept) to fit kMaxCanvasSide, sides rounded down
// to multiples of 8 (at least 8): the canvas that best holds a loaded picture.
QSize canvas_size_for_image(QSize image);

}  // namespace semdraw::app

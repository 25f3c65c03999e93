#include "doc/document.h"

#include <stdexcept>

namespace semdraw::doc {

namespace {
// Hues spaced by the golden angle stay distinguishable for many regions.
QColor palette_colour(size_t index) {
  const int hue = static_cast<int>((index * 137.508) + 20) % 360;
  return QColor::fromHsv(hue, 200, 230);
}
}  // namespace

Document::Document(QSize canvas_size) : canvas_size_(canvas_size) {
  if (canvas_size.width() <= 0 || canvas_size.height() <= 0)
    throw std::invalid_argument("canvas size must be positive");
}

Region& Document::add_region(const QString& name, const QString& prompt) {
  Region region;
  region.name = name;
  region.prompt = prompt;
  region.colour = palette_colour(regions_.size());
  region.mask = QImage(canvas_size_, QImage::Format_Grayscale8);
  region.mask.fill(0);
  regions_.push_back(std::move(region));
  return regions_.back();
}

void Document::remove_region(int index) {
  if (index < 0 || static_cast<size_t>(index) >= regions_.size())
    throw std::out_of_range("no region at index " + std::to_string(index));
  regions_.erase(regions_.begin() + index);
}

}  // namespace semdraw::doc

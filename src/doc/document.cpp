#include "doc/document.h"

#include <stdexcept>

namespace semdraw::doc {

namespace {
// Hues spaced by the golden angle stay distinguishable for many regions.
QColor palette_colour(size_t index) {
  const int hue = static_cast<int>((index * 137.508) + 20) % 360;
  // Plain 8-bit RGB: that is what files keep, and QColor compares the colour
  // spec and its 16-bit components too.
  const QColor rgb = QColor::fromHsv(hue, 200, 230).toRgb();
  return QColor(rgb.red(), rgb.green(), rgb.blue());
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

Region& Document::add_region(Region region) {
  if (region.mask.size() != canvas_size_ || region.mask.format() != QImage::Format_Grayscale8)
    throw std::invalid_argument("region '" + region.name.toStdString() +
                                "': mask must be Grayscale8 of the canvas size");
  regions_.push_back(std::move(region));
  return regions_.back();
}

void Document::remove_region(int index) {
  if (index < 0 || static_cast<size_t>(index) >= regions_.size())
    throw std::out_of_range("no region at index " + std::to_string(index));
  regions_.erase(regions_.begin() + index);
}

void Document::insert_region(int index, Region region) {
  if (index < 0 || static_cast<size_t>(index) > regions_.size())
    throw std::out_of_range("cannot insert a region at index " + std::to_string(index));
  if (region.mask.size() != canvas_size_ || region.mask.format() != QImage::Format_Grayscale8)
    throw std::invalid_argument("region '" + region.name.toStdString() +
                                "': mask must be Grayscale8 at the canvas size");
  regions_.insert(regions_.begin() + index, std::move(region));
}

void Document::move_region(int from, int to) {
  const int count = static_cast<int>(regions_.size());
  if (from < 0 || from >= count || to < 0 || to >= count)
    throw std::out_of_range("cannot move region " + std::to_string(from) + " to " + std::to_string(to));
  Region moved = std::move(regions_[static_cast<size_t>(from)]);
  regions_.erase(regions_.begin() + from);
  regions_.insert(regions_.begin() + to, std::move(moved));
}

}  // namespace semdraw::doc

#include "doc/document.h"

#include <cstring>
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
// Where the old canvas's top-left corner lands in the new one along one axis.
int anchor_offset(int old_side, int new_side, bool at_start, bool at_end) {
  if (at_start) return 0;
  if (at_end) return new_side - old_side;
  return (new_side - old_side) / 2;
}

// `image` placed at `offset` on a canvas of `size` filled with `fill`: a
// byte-exact row copy (no painter, no resampling), any format of whole bytes.
QImage place(const QImage& source, QSize size, QPoint offset, const QColor& fill) {
  const QImage image = source.depth() % 8 == 0 ? source : source.convertToFormat(QImage::Format_RGB888);
  QImage out(size, image.format());
  out.fill(fill);
  const QRect kept = QRect(offset, image.size()).intersected(out.rect());
  if (kept.isEmpty()) return out;
  const int bytes_per_pixel = image.depth() / 8;
  const size_t row_bytes = static_cast<size_t>(kept.width()) * static_cast<size_t>(bytes_per_pixel);
  for (int y = kept.top(); y <= kept.bottom(); ++y) {
    const uchar* from = image.constScanLine(y - offset.y()) + (kept.left() - offset.x()) * bytes_per_pixel;
    std::memcpy(out.scanLine(y) + kept.left() * bytes_per_pixel, from, row_bytes);
  }
  return out;
}
}  // namespace

GenerationSettings default_settings() {
  GenerationSettings settings;
  settings.live_noise = LiveNoise::Settle;
  return settings;
}

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

void Document::resize_canvas(QSize size, Qt::Alignment anchor) {
  if (size.width() <= 0 || size.height() <= 0) throw std::invalid_argument("canvas size must be positive");
  const QSize old = canvas_size_;
  const QPoint offset(anchor_offset(old.width(), size.width(), anchor & Qt::AlignLeft, anchor & Qt::AlignRight),
                      anchor_offset(old.height(), size.height(), anchor & Qt::AlignTop, anchor & Qt::AlignBottom));
  const auto fit_and_place = [&](const QImage& picture) {
    if (picture.isNull()) return picture;
    const QImage at_canvas =
        picture.size() == old ? picture : picture.scaled(old, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    return place(at_canvas, size, offset, Qt::white);
  };
  for (Region& region : regions_) region.mask = place(region.mask, size, offset, Qt::black);
  background_ = fit_and_place(background_);
  generated_ = fit_and_place(generated_);
  canvas_size_ = size;
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

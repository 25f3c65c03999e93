#pragma once
// The artist's document: canvas size, background and the ordered regions
// (index 0 is the bottom region). Independent of how it is shown.
#include <QImage>
#include <QSize>
#include <QString>
#include <vector>

#include "doc/region.h"

namespace semdraw::doc {

class Document {
 public:
  explicit Document(QSize canvas_size = QSize(512, 512));

  QSize canvas_size() const { return canvas_size_; }
  const std::vector<Region>& regions() const { return regions_; }
  const QImage& background() const { return background_; }
  const QString& background_prompt() const { return background_prompt_; }

  // Adds a region on top with an empty mask of the canvas size and a colour
  // picked from a fixed, well-separated sequence.
  Region& add_region(const QString& name, const QString& prompt);
  void remove_region(int index);
  Region& region(int index) { return regions_.at(static_cast<size_t>(index)); }

 private:
  QSize canvas_size_;
  QImage background_;  // null = plain white background
  QString background_prompt_ = QStringLiteral("simple white background");
  std::vector<Region> regions_;
};

}  // namespace semdraw::doc

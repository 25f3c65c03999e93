#include "doc/document_scene.h"

#include <cstring>

namespace semdraw::doc {

MaskImage to_mask_image(const QImage& grayscale_mask) {
  const QImage mask = grayscale_mask.format() == QImage::Format_Grayscale8
                          ? grayscale_mask
                          : grayscale_mask.convertToFormat(QImage::Format_Grayscale8);
  MaskImage out;
  out.width = mask.width();
  out.height = mask.height();
  out.values.resize(static_cast<size_t>(out.width) * static_cast<size_t>(out.height));
  // A lookup table: one multiply per pixel would round differently from the
  // 1/255 steps the ORA reader and the reference scripts use.
  float table[256];
  for (int v = 0; v < 256; ++v) table[v] = static_cast<float>(v) / 255.0f;
  float* dst = out.values.data();
  for (int y = 0; y < out.height; ++y) {
    const uchar* row = mask.constScanLine(y);
    for (int x = 0; x < out.width; ++x) *dst++ = table[row[x]];
  }
  return out;
}

RgbImage to_rgb_image(const QImage& image, QSize size) {
  QImage rgb = image.convertToFormat(QImage::Format_RGB888);
  if (rgb.size() != size) rgb = rgb.scaled(size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
  RgbImage out;
  out.width = rgb.width();
  out.height = rgb.height();
  const size_t row_bytes = static_cast<size_t>(out.width) * 3;
  out.pixels.resize(row_bytes * static_cast<size_t>(out.height));
  for (int y = 0; y < out.height; ++y)  // QImage rows are 4-byte aligned; ours are packed
    std::memcpy(out.pixels.data() + row_bytes * static_cast<size_t>(y), rgb.constScanLine(y), row_bytes);
  return out;
}

Scene to_scene(const Document& document) {
  Scene scene;
  scene.width = document.canvas_size().width();
  scene.height = document.canvas_size().height();
  scene.settings = document.settings();
  scene.background.prompt = document.background_prompt().toStdString();
  scene.background.negative_prompt = document.background_negative_prompt().toStdString();
  if (!document.background().isNull())
    scene.background.image = to_rgb_image(document.background(), document.canvas_size());
  scene.regions.reserve(document.regions().size());
  for (const Region& region : document.regions()) {
    RegionSpec spec;
    spec.prompt = region.prompt.toStdString();
    spec.negative_prompt = region.negative_prompt.toStdString();
    spec.prompt_strength = region.prompt_strength;
    spec.mask_strength = region.mask_strength;
    spec.blur_sigma = region.blur_sigma;
    spec.enabled = region.enabled;
    spec.mask = to_mask_image(region.mask);
    scene.regions.push_back(std::move(spec));
  }
  return scene;
}

}  // namespace semdraw::doc

#include "app/engine_bridge/live_preview.h"

#include <QCoreApplication>
#include <QSettings>
#include <algorithm>
#include <cmath>

namespace semdraw::app {

namespace {

constexpr const char* kSettingsKey = "live/preview_size";

// Down to a multiple of 8, within [kMinLivePreviewSide, side].
int preview_side(double scaled, int side) {
  const int rounded = static_cast<int>(std::floor(scaled / 8.0)) * 8;
  return std::min(side, std::max(rounded, kMinLivePreviewSide));
}

double scale_for(QSize canvas, LivePreview choice, bool on_gpu) {
  switch (choice) {
    case LivePreview::Full: return 1.0;
    case LivePreview::Half: return 0.5;
    case LivePreview::Quarter: return 0.25;
    case LivePreview::Auto: break;
  }
  if (on_gpu) return 1.0;
  const double pixels = static_cast<double>(canvas.width()) * canvas.height();
  return std::min(1.0, std::sqrt(kCpuLivePreviewPixels / pixels));
}

// Words, not enum numbers, in the settings file: readable, and a reordered
// enum cannot change what an artist chose.
QString settings_word(LivePreview choice) {
  switch (choice) {
    case LivePreview::Full: return QStringLiteral("full");
    case LivePreview::Half: return QStringLiteral("half");
    case LivePreview::Quarter: return QStringLiteral("quarter");
    case LivePreview::Auto: break;
  }
  return QStringLiteral("auto");
}

}  // namespace

QSize live_preview_size(QSize canvas, LivePreview choice, bool on_gpu) {
  if (canvas.isEmpty()) return canvas;
  const double scale = scale_for(canvas, choice, on_gpu);
  if (scale >= 1.0) return canvas;
  return QSize(preview_side(canvas.width() * scale, canvas.width()),
               preview_side(canvas.height() * scale, canvas.height()));
}

doc::Document scaled_for_preview(const doc::Document& document, QSize size) {
  const QSize canvas = document.canvas_size();
  if (size.isEmpty() || size == canvas) return document;
  doc::Document scaled(size);
  scaled.settings() = document.settings();
  scaled.set_background_prompt(document.background_prompt());
  scaled.set_background_negative_prompt(document.background_negative_prompt());
  // The scene snapshot scales a background of any size to the canvas; at the
  // preview size it does the same, so the picture needs no work here.
  scaled.set_background(document.background());
  const double factor = static_cast<double>(size.width()) / canvas.width();
  for (const doc::Region& region : document.regions()) {
    doc::Region copy = region;
    copy.mask = region.mask.scaled(size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
                    .convertToFormat(QImage::Format_Grayscale8);
    copy.blur_sigma = region.blur_sigma * factor;  // the same softness relative to the picture
    scaled.add_region(std::move(copy));
  }
  return scaled;
}

QString live_preview_name(LivePreview choice) {
  switch (choice) {
    case LivePreview::Full: return QCoreApplication::translate("LivePreview", "Full size");
    case LivePreview::Half: return QCoreApplication::translate("LivePreview", "Half size");
    case LivePreview::Quarter: return QCoreApplication::translate("LivePreview", "Quarter size");
    case LivePreview::Auto: break;
  }
  return QCoreApplication::translate("LivePreview", "Auto (full on a GPU, at most 256² on a CPU)");
}

LivePreview stored_live_preview() {
  const QString value = QSettings().value(kSettingsKey).toString();
  for (LivePreview choice : {LivePreview::Full, LivePreview::Half, LivePreview::Quarter})
    if (value == settings_word(choice)) return choice;
  return LivePreview::Auto;
}

void store_live_preview(LivePreview choice) { QSettings().setValue(kSettingsKey, settings_word(choice)); }

}  // namespace semdraw::app

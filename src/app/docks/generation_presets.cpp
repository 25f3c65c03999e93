#include "app/docks/generation_presets.h"

#include <QObject>
#include <QRegularExpression>
#include <algorithm>

#include "semdraw/engine/scene.h"

namespace semdraw::app {

namespace {
constexpr int kScheduleSteps = 50;
}

const std::vector<StepPreset>& step_presets() {
  // Besides the paper's default, the index sets that diffusers' LCM scheduler
  // picks for 3, 4 and 8 steps out of 50 (every 50/N-th step from the start).
  static const std::vector<StepPreset> presets = {
      {QT_TRANSLATE_NOOP("GenerationDock", "Live — 5 steps"), {0, 4, 12, 25, 37}},
      {QT_TRANSLATE_NOOP("GenerationDock", "Fast — 3 steps"), {0, 16, 32}},
      {QT_TRANSLATE_NOOP("GenerationDock", "Balanced — 4 steps"), {0, 12, 24, 36}},
      {QT_TRANSLATE_NOOP("GenerationDock", "Quality — 8 steps"), {0, 6, 12, 18, 24, 30, 36, 42}},
  };
  return presets;
}

std::optional<std::vector<int>> parse_step_indices(const QString& text, QString* error) {
  static const QRegularExpression separators(QStringLiteral("[,;\\s]+"));
  const QStringList parts = text.split(separators, Qt::SkipEmptyParts);
  if (parts.isEmpty()) {
    *error = QObject::tr("Give at least one step index (0..49)");
    return std::nullopt;
  }
  std::vector<int> indices;
  for (const QString& part : parts) {
    bool ok = false;
    const int index = part.toInt(&ok);
    if (!ok || index < 0 || index >= kScheduleSteps) {
      *error = QObject::tr("'%1' is not a step index in 0..49").arg(part);
      return std::nullopt;
    }
    if (!indices.empty() && index <= indices.back()) {
      *error = QObject::tr("Step indices must increase (%1 after %2)").arg(index).arg(indices.back());
      return std::nullopt;
    }
    indices.push_back(index);
  }
  return indices;
}

QString format_step_indices(const std::vector<int>& indices) {
  QStringList parts;
  for (int index : indices) parts << QString::number(index);
  return parts.join(QStringLiteral(", "));
}

const std::vector<CanvasPreset>& canvas_presets() {
  static const std::vector<CanvasPreset> presets = {
      {"512 × 512", {512, 512}},   {"768 × 512", {768, 512}},     {"512 × 768", {512, 768}},
      {"768 × 768", {768, 768}},   {"1024 × 1024", {1024, 1024}}, {"1920 × 768", {1920, 768}},
      {"768 × 1920", {768, 1920}},
  };
  return presets;
}

bool valid_canvas_size(QSize size) {
  const auto side_ok = [](int side) { return side > 0 && side % 8 == 0 && side <= kMaxCanvasSide; };
  return side_ok(size.width()) && side_ok(size.height());
}

QSize canvas_size_for_image(QSize image) {
  if (image.isEmpty()) return {};
  const QSize fitted = image.width() > kMaxCanvasSide || image.height() > kMaxCanvasSide
                           ? image.scaled(kMaxCanvasSide, kMaxCanvasSide, Qt::KeepAspectRatio)
                           : image;
  return {std::max(8, fitted.width() / 8 * 8), std::max(8, fitted.height() / 8 * 8)};
}

}  // namespace semdraw::app

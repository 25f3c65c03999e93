#include "doc/png_export.h"

#include <QJsonDocument>
#include <QPainter>

#include "doc/atomic_file.h"
#include "doc/image_io.h"
#include "doc/ora_writer.h"
#include "doc/project_json.h"

namespace semdraw::doc {

namespace {
constexpr double kOverlayOpacity = 0.4;

QString one_line(const QString& text) { return text.simplified(); }
}  // namespace

QString generation_parameters_text(const Document& d) {
  // BREAK separates the per-region prompts, as regional-prompting tools write them.
  QStringList prompts{one_line(d.background_prompt())};
  QStringList negatives{one_line(d.background_negative_prompt())};
  for (const Region& r : d.regions()) {
    if (!r.enabled) continue;
    prompts << one_line(r.prompt);
    negatives << one_line(r.negative_prompt);
  }
  const GenerationSettings& s = d.settings();
  const qsizetype steps = s.steps > 0 ? s.steps : static_cast<qsizetype>(s.step_indices.size());
  QString text = prompts.join(" BREAK ");
  bool any_negative = false;
  for (const QString& n : negatives) any_negative = any_negative || !n.isEmpty();
  if (any_negative) text += "\nNegative prompt: " + negatives.join(" BREAK ");
  text += QStringLiteral("\nSteps: %1, Sampler: LCM, Seed: %2, Size: %3x%4")
              .arg(steps)
              .arg(d.seed())
              .arg(d.canvas_size().width())
              .arg(d.canvas_size().height());
  if (!d.model_reference().isEmpty()) text += ", Model: " + one_line(d.model_reference());
  return text;
}

bool export_png(const Document& d, const QString& path, bool with_overlay, QString* error) {
  if (d.generated().isNull()) {
    *error = QStringLiteral("%1: nothing generated yet to export").arg(path);
    return false;
  }
  QImage image = d.generated().convertToFormat(QImage::Format_RGB888);
  if (with_overlay) {
    QPainter painter(&image);
    painter.setOpacity(kOverlayOpacity);
    for (const Region& r : d.regions())
      if (r.enabled) painter.drawImage(QRect(QPoint(0, 0), image.size()), region_layer_image(r));
    painter.end();
  }
  // QImage::setText, not QImageWriter::setText: the writer simplifies the
  // text (newlines become spaces), which breaks the multi-line "parameters".
  image.setText(kParametersChunk, generation_parameters_text(d));
  image.setText(kProjectChunk,
                QString::fromUtf8(QJsonDocument(project_to_json(d, LayerFiles{})).toJson(QJsonDocument::Compact)));
  QString why;
  const QByteArray bytes = encode_image(image, "png", &why);
  if (bytes.isEmpty()) {
    *error = QStringLiteral("%1: cannot encode PNG (%2)").arg(path, why);
    return false;
  }
  return write_file_atomically(path, bytes, error);
}

}  // namespace semdraw::doc

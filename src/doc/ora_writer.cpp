#include "doc/ora_writer.h"

#include <QJsonDocument>
#include <QPainter>
#include <QXmlStreamWriter>

#include "doc/image_io.h"
#include "doc/project_json.h"
#include "doc/zip_archive.h"

namespace semdraw::doc {

namespace {

constexpr int kThumbnailSide = 256;  // OpenRaster: thumbnails at most 256 px

QByteArray png_bytes(const QImage& image) { return encode_image(image, "png"); }

struct Layer {
  QString name;
  QString src;
  QImage image;
  double opacity = 1.0;
  bool visible = true;
};

// What other programs show for the file: layers composited bottom to top.
QImage merge(QSize size, const std::vector<Layer>& top_first) {
  QImage merged(size, QImage::Format_ARGB32_Premultiplied);
  merged.fill(Qt::white);
  QPainter painter(&merged);
  for (auto it = top_first.rbegin(); it != top_first.rend(); ++it) {
    if (!it->visible) continue;
    painter.setOpacity(it->opacity);
    painter.drawImage(0, 0, it->image);
  }
  painter.end();
  return merged.convertToFormat(QImage::Format_RGB888);
}

}  // namespace

QImage region_layer_image(const Region& region) {
  // Straight (not premultiplied) alpha so the mask comes back bit for bit.
  QImage layer(region.mask.size(), QImage::Format_ARGB32);
  const QRgb rgb = region.colour.rgb();
  for (int y = 0; y < layer.height(); ++y) {
    const uchar* mask = region.mask.constScanLine(y);
    auto* out = reinterpret_cast<QRgb*>(layer.scanLine(y));
    for (int x = 0; x < layer.width(); ++x) out[x] = qRgba(qRed(rgb), qGreen(rgb), qBlue(rgb), mask[x]);
  }
  return layer;
}

QString kept_frame_entry(size_t index) { return QStringLiteral("semdraw/kept/frame-%1.png").arg(index); }

bool save_ora(const Document& document, const QString& path, QString* error, const WriteOptions& options) {
  const QSize size = document.canvas_size();
  std::vector<Layer> layers;  // top first, as stack.xml lists them
  LayerFiles files;
  const auto& regions = document.regions();
  files.regions.resize(regions.size());
  for (size_t i = regions.size(); i-- > 0;) {
    files.regions[i] = QStringLiteral("data/region-%1.png").arg(i);
    // Half opacity: in a paint program the regions read as an overlay on the picture.
    layers.push_back({regions[i].prompt, files.regions[i], region_layer_image(regions[i]), 0.5, regions[i].enabled});
  }
  if (!document.generated().isNull()) {
    files.generated = QStringLiteral("data/generated.png");
    layers.push_back({QStringLiteral("generated image"), files.generated, document.generated(), 1.0, true});
  }
  if (!document.background().isNull()) {
    files.background = QStringLiteral("data/background.png");
    layers.push_back({QStringLiteral("background: ") + document.background_prompt(), files.background,
                      document.background(), 1.0, document.generated().isNull()});
  }

  QByteArray stack;
  QXmlStreamWriter xml(&stack);
  xml.setAutoFormatting(true);
  xml.writeStartDocument();
  xml.writeStartElement("image");
  xml.writeAttribute("version", "0.0.5");
  xml.writeAttribute("w", QString::number(size.width()));
  xml.writeAttribute("h", QString::number(size.height()));
  xml.writeStartElement("stack");
  for (const Layer& layer : layers) {
    xml.writeStartElement("layer");
    xml.writeAttribute("name", layer.name);
    xml.writeAttribute("src", layer.src);
    xml.writeAttribute("x", "0");
    xml.writeAttribute("y", "0");
    xml.writeAttribute("opacity", QString::number(layer.opacity));
    xml.writeAttribute("visibility", layer.visible ? "visible" : "hidden");
    xml.writeEndElement();
  }
  xml.writeEndElement();
  xml.writeEndElement();
  xml.writeEndDocument();

  std::vector<ZipEntry> entries;
  // OpenRaster: "mimetype" first and stored, so the type shows at a fixed offset.
  entries.push_back({"mimetype", "image/openraster", true});
  entries.push_back({"stack.xml", stack, false});
  for (const Layer& layer : layers) {
    QByteArray bytes = png_bytes(layer.image);
    if (bytes.isEmpty()) {
      *error = QStringLiteral("%1: cannot encode layer '%2' as PNG").arg(path, layer.src);
      return false;
    }
    entries.push_back({layer.src, bytes, true});  // PNG is compressed already
  }
  const QImage merged = merge(size, layers);
  entries.push_back({"mergedimage.png", png_bytes(merged), true});
  entries.push_back(
      {"Thumbnails/thumbnail.png",
       png_bytes(merged.scaled(kThumbnailSide, kThumbnailSide, Qt::KeepAspectRatio, Qt::SmoothTransformation)), true});
  for (size_t i = 0; i < document.kept_frames().size(); ++i) {
    files.kept_frames.push_back(kept_frame_entry(i));
    QByteArray bytes = png_bytes(document.kept_frames()[i].image);
    if (bytes.isEmpty()) {
      *error = QStringLiteral("%1: cannot encode the kept frame '%2' as PNG").arg(path, files.kept_frames.back());
      return false;
    }
    entries.push_back({files.kept_frames.back(), bytes, true});
  }
  entries.push_back({kProjectJsonEntry, QJsonDocument(project_to_json(document, files)).toJson(), false});

  return atomic_replace(
      path, [&](const QString& temp, QString* why) { return write_zip(temp, entries, why); }, error, options);
}

}  // namespace semdraw::doc

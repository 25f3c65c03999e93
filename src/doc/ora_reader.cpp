#include "doc/ora_reader.h"

#include <QBuffer>
#include <QFileInfo>
#include <QImageReader>
#include <QPainter>
#include <QXmlStreamReader>
#include <map>

#include "doc/ora_writer.h"
#include "doc/project_json.h"
#include "doc/zip_archive.h"

namespace semdraw::doc {

namespace {

struct StackLayer {
  QString name;
  QString src;
  int x = 0;
  int y = 0;
};

struct Stack {
  int width = 0;
  int height = 0;
  std::vector<StackLayer> layers;  // top first
};

bool parse_stack(const QByteArray& xml_bytes, const QString& where, Stack* out, QString* error) {
  QXmlStreamReader xml(xml_bytes);
  Stack stack;
  bool seen_image = false;
  while (!xml.atEnd()) {
    if (xml.readNext() != QXmlStreamReader::StartElement) continue;
    const auto attrs = xml.attributes();
    if (xml.name() == QLatin1String("image")) {
      bool ok_w = false, ok_h = false;
      stack.width = attrs.value("w").toInt(&ok_w);
      stack.height = attrs.value("h").toInt(&ok_h);
      if (!ok_w || !ok_h || stack.width <= 0 || stack.height <= 0 || stack.width > kMaxOraSide ||
          stack.height > kMaxOraSide) {
        *error = QStringLiteral("%1: <image> size '%2x%3' is missing or outside 1..%4")
                     .arg(where, attrs.value("w").toString(), attrs.value("h").toString())
                     .arg(kMaxOraSide);
        return false;
      }
      seen_image = true;
    } else if (xml.name() == QLatin1String("layer")) {
      StackLayer layer;
      layer.name = attrs.value("name").toString();
      layer.src = attrs.value("src").toString();
      layer.x = attrs.value("x").toInt();
      layer.y = attrs.value("y").toInt();
      if (layer.src.isEmpty()) {
        *error = QStringLiteral("%1: layer '%2' has no src").arg(where, layer.name);
        return false;
      }
      stack.layers.push_back(layer);
    }
  }
  if (xml.hasError()) {
    *error = QStringLiteral("%1: malformed XML at line %2 (%3)")
                 .arg(where).arg(xml.lineNumber()).arg(xml.errorString());
    return false;
  }
  if (!seen_image) {
    *error = QStringLiteral("%1: no <image> element").arg(where);
    return false;
  }
  *out = std::move(stack);
  return true;
}

// A hostile stack.xml can name one tiny PNG thousands of times on a huge
// canvas; every region costs a canvas-sized mask, so both are bounded.
constexpr qint64 kMaxMaskBytes = 2LL * 1024 * 1024 * 1024;

bool check_budget(const QString& path, const Stack& stack, size_t regions, QString* error) {
  if (regions > static_cast<size_t>(kMaxRegions)) {
    *error = QStringLiteral("%1: %2 regions/layers, more than the %3 the engine takes")
                 .arg(path).arg(regions).arg(kMaxRegions);
    return false;
  }
  if (static_cast<qint64>(regions) * stack.width * stack.height > kMaxMaskBytes) {
    *error = QStringLiteral("%1: %2 layers of %3x%4 need more than %5 bytes of masks")
                 .arg(path).arg(regions).arg(stack.width).arg(stack.height).arg(kMaxMaskBytes);
    return false;
  }
  return true;
}

class OraFile {
 public:
  OraFile(QString path, std::map<QString, QByteArray> entries, QStringList* notes)
      : path_(std::move(path)), entries_(std::move(entries)), notes_(notes) {}

  const QByteArray* entry(const QString& name) const {
    auto it = entries_.find(name);
    return it == entries_.end() ? nullptr : &it->second;
  }

  // Decodes a layer PNG as straight-alpha ARGB32.
  bool image(const QString& name, QImage* out, QString* error) const {
    const QByteArray* bytes = entry(name);
    if (!bytes) {
      *error = QStringLiteral("%1: layer file '%2' is missing from the archive").arg(path_, name);
      return false;
    }
    QBuffer buffer;
    buffer.setData(*bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    const QSize size = reader.size();
    if (size.isValid() && (size.width() > kMaxOraSide || size.height() > kMaxOraSide)) {
      *error = QStringLiteral("%1: layer file '%2' is %3x%4, larger than %5 px")
                   .arg(path_, name).arg(size.width()).arg(size.height()).arg(kMaxOraSide);
      return false;
    }
    QImage image = reader.read();
    if (image.isNull()) {
      *error = QStringLiteral("%1: layer file '%2' is not a readable image (%3)")
                   .arg(path_, name, reader.errorString());
      return false;
    }
    *out = image.convertToFormat(QImage::Format_ARGB32);
    return true;
  }

  // OpenRaster layers may be smaller than the image and sit at x/y; their
  // alpha goes straight into a canvas-sized mask (cropping what lies
  // outside), never through a canvas-sized colour image: a huge declared
  // canvas then costs one byte per pixel, not five.
  QImage placed_alpha(const QImage& layer, int x, int y, QSize canvas, const QString& name) const {
    if (layer.size() != canvas || x != 0 || y != 0)
      note(QStringLiteral("%1: layer '%2' is %3x%4 at (%5,%6); placed on the %7x%8 canvas")
               .arg(path_, name).arg(layer.width()).arg(layer.height()).arg(x).arg(y)
               .arg(canvas.width()).arg(canvas.height()));
    QImage mask(canvas, QImage::Format_Grayscale8);
    mask.fill(0);
    const QRect inside = QRect(QPoint(x, y), layer.size()).intersected(QRect(QPoint(0, 0), canvas));
    for (int cy = inside.top(); cy <= inside.bottom(); ++cy) {
      const auto* in = reinterpret_cast<const QRgb*>(layer.constScanLine(cy - y));
      uchar* out = mask.scanLine(cy);
      for (int cx = inside.left(); cx <= inside.right(); ++cx) out[cx] = static_cast<uchar>(qAlpha(in[cx - x]));
    }
    return mask;
  }

  void note(const QString& text) const {
    if (notes_) notes_->append(text);
  }
  const QString& path() const { return path_; }

 private:
  QString path_;
  std::map<QString, QByteArray> entries_;
  QStringList* notes_;
};

// The colour a foreign layer shows: its average, weighted by alpha.
QColor average_colour(const QImage& argb) {
  double r = 0, g = 0, b = 0, w = 0;
  for (int y = 0; y < argb.height(); ++y) {
    const auto* in = reinterpret_cast<const QRgb*>(argb.constScanLine(y));
    for (int x = 0; x < argb.width(); ++x) {
      const double a = qAlpha(in[x]);
      r += a * qRed(in[x]);
      g += a * qGreen(in[x]);
      b += a * qBlue(in[x]);
      w += a;
    }
  }
  if (w == 0) return QColor(128, 128, 128);
  return QColor(qRound(r / w), qRound(g / w), qRound(b / w));
}

QImage opaque_rgb(const QImage& argb) {
  QImage out(argb.size(), QImage::Format_RGB888);
  out.fill(Qt::white);
  QPainter painter(&out);
  painter.drawImage(0, 0, argb);
  painter.end();
  return out;
}

bool open_semdraw(const OraFile& ora, const Stack& stack, const QByteArray& json, Document* out,
                  QString* error) {
  ProjectJson p;
  if (!project_from_json(json, ora.path() + " (" + kProjectJsonEntry + ")", &p, error)) return false;
  if (p.width != stack.width || p.height != stack.height) {
    *error = QStringLiteral("%1: project.json says %2x%3 but stack.xml says %4x%5")
                 .arg(ora.path()).arg(p.width).arg(p.height).arg(stack.width).arg(stack.height);
    return false;
  }
  if (!check_budget(ora.path(), stack, p.regions.size(), error)) return false;
  const QSize canvas(p.width, p.height);
  auto offset_of = [&](const QString& src) {
    for (const StackLayer& l : stack.layers)
      if (l.src == src) return QPoint(l.x, l.y);
    return QPoint(0, 0);
  };
  Document d(canvas);
  d.set_background_prompt(p.background_prompt);
  d.set_background_negative_prompt(p.background_negative_prompt);
  d.settings() = p.settings;
  d.set_model_reference(p.model_reference);
  for (size_t i = 0; i < p.regions.size(); ++i) {
    Region region = std::move(p.regions[i]);
    const QString& src = p.layers.regions[i];
    if (src.isEmpty()) {
      region.mask = QImage(canvas, QImage::Format_Grayscale8);
      region.mask.fill(0);
    } else {
      QImage layer;
      if (!ora.image(src, &layer, error)) return false;
      const QPoint at = offset_of(src);
      region.mask = ora.placed_alpha(layer, at.x(), at.y(), canvas, src);
    }
    d.add_region(std::move(region));
  }
  for (auto [src, setter] :
       {std::pair<QString, void (Document::*)(const QImage&)>{p.layers.background, &Document::set_background},
        {p.layers.generated, &Document::set_generated}}) {
    if (src.isEmpty()) continue;
    QImage image;
    if (!ora.image(src, &image, error)) return false;
    if (image.size() != canvas) {
      ora.note(QStringLiteral("%1: '%2' is %3x%4, resized to the %5x%6 canvas")
                   .arg(ora.path(), src).arg(image.width()).arg(image.height())
                   .arg(canvas.width()).arg(canvas.height()));
      image = image.scaled(canvas, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    }
    (d.*setter)(opaque_rgb(image));
  }
  *out = std::move(d);
  return true;
}

bool open_foreign(const OraFile& ora, const Stack& stack, Document* out, QString* error) {
  if (!check_budget(ora.path(), stack, stack.layers.size(), error)) return false;
  const QSize canvas(stack.width, stack.height);
  Document d(canvas);
  // stack.xml lists the top layer first; our regions go bottom first.
  for (auto it = stack.layers.rbegin(); it != stack.layers.rend(); ++it) {
    QImage layer;
    if (!ora.image(it->src, &layer, error)) return false;
    Region region;
    region.name = it->name.isEmpty() ? QFileInfo(it->src).baseName() : it->name;
    region.prompt = it->name;
    region.colour = average_colour(layer);  // the part outside the canvas counts too: it is the layer's colour
    region.mask = ora.placed_alpha(layer, it->x, it->y, canvas, it->src);
    d.add_region(std::move(region));
  }
  *out = std::move(d);
  return true;
}

}  // namespace

bool open_ora(const QString& path, Document* document, QString* error, QStringList* notes) {
  std::map<QString, QByteArray> entries;
  if (!read_zip(path, &entries, error)) return false;
  const auto mimetype = entries.find("mimetype");
  if (mimetype != entries.end() && mimetype->second.trimmed() != "image/openraster") {
    *error = QStringLiteral("%1: mimetype is '%2', not image/openraster")
                 .arg(path, QString::fromUtf8(mimetype->second.left(64)));
    return false;
  }
  const auto stack_entry = entries.find("stack.xml");
  if (stack_entry == entries.end()) {
    *error = QStringLiteral("%1: no stack.xml (not an OpenRaster file)").arg(path);
    return false;
  }
  Stack stack;
  if (!parse_stack(stack_entry->second, path + " (stack.xml)", &stack, error)) return false;
  QStringList local_notes;
  OraFile ora(path, std::move(entries), &local_notes);
  Document loaded;
  const QByteArray* json = ora.entry(kProjectJsonEntry);
  const bool ok = json ? open_semdraw(ora, stack, *json, &loaded, error)
                       : open_foreign(ora, stack, &loaded, error);
  if (!ok) return false;
  *document = std::move(loaded);
  if (notes) notes->append(local_notes);
  return true;
}

}  // namespace semdraw::doc

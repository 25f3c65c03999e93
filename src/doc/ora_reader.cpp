#include "doc/ora_reader.h"

#include <QBuffer>
#include <QFileInfo>
#include <QImageReader>
#include <QPainter>
#include <QXmlStreamReader>
#include <iterator>
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
  double opacity = 1.0;
  bool visible = true;
  QString composite_op;  // empty: not given (normal)
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
      bool ok_opacity = false;
      const double opacity = attrs.value("opacity").toDouble(&ok_opacity);
      if (ok_opacity) layer.opacity = opacity;
      layer.visible = attrs.value("visibility") != QLatin1String("hidden");
      layer.composite_op = attrs.value("composite-op").toString();
      if (layer.src.isEmpty()) {
        *error = QStringLiteral("%1: layer '%2' has no src").arg(where, layer.name);
        return false;
      }
      stack.layers.push_back(layer);
    }
  }
  if (xml.hasError()) {
    *error =
        QStringLiteral("%1: malformed XML at line %2 (%3)").arg(where).arg(xml.lineNumber()).arg(xml.errorString());
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
                 .arg(path)
                 .arg(regions)
                 .arg(kMaxRegions);
    return false;
  }
  if (static_cast<qint64>(regions) * stack.width * stack.height > kMaxMaskBytes) {
    *error = QStringLiteral("%1: %2 layers of %3x%4 need more than %5 bytes of masks")
                 .arg(path)
                 .arg(regions)
                 .arg(stack.width)
                 .arg(stack.height)
                 .arg(kMaxMaskBytes);
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
    if (!decode(name, out, error)) return false;
    *out = out->convertToFormat(QImage::Format_ARGB32);
    return true;
  }

  // Decodes a PNG entry in its own format (kept frames stay bit for bit).
  bool decode(const QString& name, QImage* out, QString* error) const {
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
                   .arg(path_, name)
                   .arg(size.width())
                   .arg(size.height())
                   .arg(kMaxOraSide);
      return false;
    }
    QImage image = reader.read();
    if (image.isNull()) {
      *error =
          QStringLiteral("%1: layer file '%2' is not a readable image (%3)").arg(path_, name, reader.errorString());
      return false;
    }
    *out = std::move(image);
    return true;
  }

  // OpenRaster layers may be smaller than the image and sit at x/y; their
  // alpha goes straight into a canvas-sized mask (cropping what lies
  // outside), never through a canvas-sized colour image: a huge declared
  // canvas then costs one byte per pixel, not five.
  QImage placed_alpha(const QImage& layer, int x, int y, QSize canvas, const QString& name) const {
    if (layer.size() != canvas || x != 0 || y != 0)
      note(QStringLiteral("%1: layer '%2' is %3x%4 at (%5,%6); placed on the %7x%8 canvas")
               .arg(path_, name)
               .arg(layer.width())
               .arg(layer.height())
               .arg(x)
               .arg(y)
               .arg(canvas.width())
               .arg(canvas.height()));
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

// A hostile project.json can name one large PNG as thousands of kept frames.
constexpr int kMaxKeptFrames = 1000;

bool read_kept_frames(const OraFile& ora, const std::vector<QString>& entries, std::vector<KeptFrame>* frames,
                      QString* error) {
  if (entries.size() > static_cast<size_t>(kMaxKeptFrames)) {
    *error = QStringLiteral("%1: %2 kept frames, more than the %3 allowed")
                 .arg(ora.path())
                 .arg(entries.size())
                 .arg(kMaxKeptFrames);
    return false;
  }
  qint64 bytes = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    QImage image;
    if (!ora.decode(entries[i], &image, error)) return false;
    bytes += image.sizeInBytes();
    if (bytes > kMaxMaskBytes) {
      *error = QStringLiteral("%1: the kept frames need more than %2 bytes").arg(ora.path()).arg(kMaxMaskBytes);
      return false;
    }
    (*frames)[i].image = std::move(image);
  }
  return true;
}

bool open_semdraw(const OraFile& ora, const Stack& stack, const QByteArray& json, Document* out, QString* error) {
  ProjectJson p;
  if (!project_from_json(json, ora.path() + " (" + kProjectJsonEntry + ")", &p, error)) return false;
  if (p.width != stack.width || p.height != stack.height) {
    *error = QStringLiteral("%1: project.json says %2x%3 but stack.xml says %4x%5")
                 .arg(ora.path())
                 .arg(p.width)
                 .arg(p.height)
                 .arg(stack.width)
                 .arg(stack.height);
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
                   .arg(ora.path(), src)
                   .arg(image.width())
                   .arg(image.height())
                   .arg(canvas.width())
                   .arg(canvas.height()));
      image = image.scaled(canvas, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    }
    (d.*setter)(opaque_rgb(image));
  }
  if (!read_kept_frames(ora, p.layers.kept_frames, &p.kept_frames, error)) return false;
  d.set_kept_frames(std::move(p.kept_frames));
  *out = std::move(d);
  return true;
}

bool open_foreign(const OraFile& ora, const Stack& stack, Document* out, QString* error, OraOrigin* origin) {
  const QSize canvas(stack.width, stack.height);
  Document d(canvas);
  origin->ours = false;
  origin->layers = static_cast<int>(stack.layers.size());
  // stack.xml lists the top layer first; our regions go bottom first, and
  // the bottom layer may be the picture's background instead.
  // Nothing is decoded for a file over budget even if its bottom layer is
  // the background; the exact count is checked once that is known.
  if (!stack.layers.empty() && !check_budget(ora.path(), stack, stack.layers.size() - 1, error)) return false;
  auto it = stack.layers.rbegin();
  QImage bottom;
  if (it != stack.layers.rend()) {
    if (!ora.image(it->src, &bottom, error)) return false;
    if (is_background_layer(bottom, {it->x, it->y}, canvas, it->opacity, it->visible, it->composite_op)) {
      d.set_background(opaque_rgb(bottom.copy(QRect(QPoint(-it->x, -it->y), canvas))));
      ora.note(QStringLiteral("%1: the bottom layer '%2' (opaque, covering the canvas) is the background picture")
                   .arg(ora.path(), it->name.isEmpty() ? it->src : it->name));
      origin->background_layer = true;
      bottom = QImage();
      ++it;
    }
  }
  if (!check_budget(ora.path(), stack, static_cast<size_t>(std::distance(it, stack.layers.rend())), error))
    return false;
  for (; it != stack.layers.rend(); ++it) {
    QImage layer;
    if (!bottom.isNull()) {
      layer = std::move(bottom);  // decoded above already
      bottom = QImage();
    } else if (!ora.image(it->src, &layer, error)) {
      return false;
    }
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

// The zip's entries and its parsed stack.xml, with the mimetype checked.
bool read_container(const QString& path, std::map<QString, QByteArray>* entries, Stack* stack, QString* error) {
  if (!read_zip(path, entries, error)) return false;
  const auto mimetype = entries->find("mimetype");
  if (mimetype != entries->end() && mimetype->second.trimmed() != "image/openraster") {
    *error = QStringLiteral("%1: mimetype is '%2', not image/openraster")
                 .arg(path, QString::fromUtf8(mimetype->second.left(64)));
    return false;
  }
  const auto stack_entry = entries->find("stack.xml");
  if (stack_entry == entries->end()) {
    *error = QStringLiteral("%1: no stack.xml (not an OpenRaster file)").arg(path);
    return false;
  }
  return parse_stack(stack_entry->second, path + " (stack.xml)", stack, error);
}

}  // namespace

bool is_background_layer(const QImage& argb, QPoint at, QSize canvas, double opacity, bool visible,
                         const QString& composite_op) {
  if (!visible || opacity < 1.0) return false;
  if (!composite_op.isEmpty() && composite_op != QLatin1String("svg:src-over")) return false;
  const QRect covered = QRect(at, argb.size());
  if (!covered.contains(QRect(QPoint(0, 0), canvas))) return false;
  const QImage pixels = argb.convertToFormat(QImage::Format_ARGB32);
  for (int y = 0; y < canvas.height(); ++y) {
    const auto* row = reinterpret_cast<const QRgb*>(pixels.constScanLine(y - at.y()));
    for (int x = 0; x < canvas.width(); ++x)
      if (qAlpha(row[x - at.x()]) != 255) return false;
  }
  return true;
}

bool open_ora(const QString& path, Document* document, QString* error, QStringList* notes, OraOrigin* origin) {
  std::map<QString, QByteArray> entries;
  Stack stack;
  if (!read_container(path, &entries, &stack, error)) return false;
  QStringList local_notes;
  OraFile ora(path, std::move(entries), &local_notes);
  Document loaded;
  OraOrigin found;
  found.layers = static_cast<int>(stack.layers.size());
  const QByteArray* json = ora.entry(kProjectJsonEntry);
  const bool ok =
      json ? open_semdraw(ora, stack, *json, &loaded, error) : open_foreign(ora, stack, &loaded, error, &found);
  if (!ok) return false;
  *document = std::move(loaded);
  if (notes) notes->append(local_notes);
  if (origin) *origin = found;
  return true;
}

bool is_foreign_ora(const QString& path, int* layers) {
  std::map<QString, QByteArray> entries;
  Stack stack;
  QString ignored;
  if (!QFileInfo::exists(path) || !read_container(path, &entries, &stack, &ignored)) return false;
  if (entries.count(kProjectJsonEntry)) return false;
  if (layers) *layers = static_cast<int>(stack.layers.size());
  return true;
}

}  // namespace semdraw::doc

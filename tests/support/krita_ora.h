#pragma once
// Test-only: an OpenRaster file as another paint program writes it.
#include <QBuffer>
#include <QImage>
#include <QPainter>
#include <QSize>
#include <QString>

#include "doc/zip_fixture.h"

namespace semdraw::doc::testing {

inline QByteArray png_of(const QImage& image) {
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  image.save(&buffer, "PNG");
  return bytes;
}

// An OpenRaster file laid out as Krita writes one (its ORA export: mimetype
// first and stored, a root <stack> group, every layer a full-canvas PNG
// named data/layerN.png in the order painted, bottom first, so stack.xml
// lists data/layer1.png above data/layer0.png; no x/y on the layers; merged
// image and thumbnail), with Krita's default white "Background" layer under
// one paint layer. Tests change the background or its attributes first.
struct KritaFile {
  QSize canvas{64, 48};
  QString background_attributes = R"(opacity="1" visibility="visible" composite-op="svg:src-over")";
  QImage background;
  QImage paint;

  KritaFile() {
    background = QImage(canvas, QImage::Format_ARGB32);
    background.fill(QColor(255, 255, 255, 255));
    paint = QImage(canvas, QImage::Format_ARGB32);
    paint.fill(QColor(0, 0, 0, 0));
    for (int y = 10; y < 30; ++y)
      for (int x = 20; x < 50; ++x) paint.setPixel(x, y, qRgba(200, 40, 40, 255));
  }

  bool write(const QString& path) const {
    const QByteArray stack =
        QStringLiteral(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<image version=\"0.0.1\" w=\"%1\" h=\"%2\" xres=\"72\" yres=\"72\">\n"
            " <stack name=\"root\" opacity=\"1\" visibility=\"visible\" composite-op=\"svg:src-over\" "
            "isolation=\"isolate\">\n"
            "  <layer name=\"Paint Layer 1\" opacity=\"1\" visibility=\"visible\" selected=\"true\" "
            "composite-op=\"svg:src-over\" src=\"data/layer1.png\"/>\n"
            "  <layer name=\"Background\" %3 src=\"data/layer0.png\"/>\n"
            " </stack>\n"
            "</image>\n")
            .arg(canvas.width())
            .arg(canvas.height())
            .arg(background_attributes)
            .toUtf8();
    QImage merged = background.convertToFormat(QImage::Format_ARGB32_Premultiplied);
    QPainter painter(&merged);
    painter.drawImage(0, 0, paint);
    painter.end();
    return write_plain_zip(path,
                           {{"mimetype", "image/openraster"},
                            {"stack.xml", stack},
                            {"data/layer0.png", png_of(background)},
                            {"data/layer1.png", png_of(paint)},
                            {"Thumbnails/thumbnail.png", png_of(merged.scaled(256, 192))},
                            {"mergedimage.png", png_of(merged)}},
                           {"mimetype", "data/layer0.png", "data/layer1.png"});
  }
};

}  // namespace semdraw::doc::testing

#include <gtest/gtest.h>

#include <QBuffer>
#include <QTemporaryDir>

#include "doc/ora_reader.h"
#include "zip_fixture.h"

namespace semdraw::doc {

namespace {
QByteArray png(const QImage& image) {
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  image.save(&buffer, "PNG");
  return bytes;
}
}  // namespace

// The layout another painter writes: no semdraw JSON, a layer smaller than
// the image at an offset, layers listed top first.
TEST(OraForeign, LayersOfAnotherProgramOpenAsRegions) {
  QTemporaryDir dir;
  const QString path = dir.filePath("krita.ora");
  QImage sky(40, 30, QImage::Format_ARGB32);
  sky.fill(QColor(0, 0, 0, 0));
  for (int y = 0; y < 10; ++y)
    for (int x = 0; x < 40; ++x) sky.setPixel(x, y, qRgba(30, 60, 220, 200));
  QImage sun(8, 6, QImage::Format_ARGB32);
  sun.fill(QColor(250, 200, 10, 255));
  const QByteArray stack =
      "<?xml version='1.0' encoding='UTF-8'?>\n"
      "<image version=\"0.0.3\" w=\"40\" h=\"30\"><stack>\n"
      "  <layer name=\"a yellow sun\" src=\"data/layer1.png\" x=\"30\" y=\"2\" opacity=\"1.0\" visibility=\"visible\"/>\n"
      "  <layer name=\"blue sky\" src=\"data/layer0.png\" x=\"0\" y=\"0\" opacity=\"0.8\" visibility=\"visible\"/>\n"
      "</stack></image>\n";
  ASSERT_TRUE(testing::write_plain_zip(path, {{"mimetype", "image/openraster"},
                                              {"stack.xml", stack},
                                              {"data/layer0.png", png(sky)},
                                              {"data/layer1.png", png(sun)},
                                              {"mergedimage.png", png(sky)}}));
  Document d;
  QString error;
  QStringList notes;
  ASSERT_TRUE(open_ora(path, &d, &error, &notes)) << error.toStdString();
  EXPECT_EQ(d.canvas_size(), QSize(40, 30));
  ASSERT_EQ(d.regions().size(), 2u);
  const Region& bottom = d.regions()[0];
  const Region& top = d.regions()[1];
  EXPECT_EQ(bottom.prompt, "blue sky");
  EXPECT_EQ(top.prompt, "a yellow sun");
  EXPECT_EQ(bottom.colour, QColor(30, 60, 220));
  EXPECT_EQ(top.colour, QColor(250, 200, 10));
  EXPECT_EQ(bottom.mask.pixelColor(5, 5).value(), 200);
  EXPECT_EQ(bottom.mask.pixelColor(5, 20).value(), 0);
  // The sun sits at (30,2) and is cut off at the right edge.
  EXPECT_EQ(top.mask.pixelColor(29, 3).value(), 0);
  EXPECT_EQ(top.mask.pixelColor(30, 2).value(), 255);
  EXPECT_EQ(top.mask.pixelColor(37, 7).value(), 255);
  EXPECT_EQ(top.mask.pixelColor(37, 8).value(), 0);
  ASSERT_EQ(notes.size(), 1) << notes.join("\n").toStdString();
  EXPECT_TRUE(notes[0].contains("data/layer1.png"));
}

}  // namespace semdraw::doc

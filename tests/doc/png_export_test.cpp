#include "doc/png_export.h"

#include <gtest/gtest.h>

#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

namespace semdraw::doc {

namespace {
Document generated_document() {
  Document d(QSize(48, 32));
  d.set_background_prompt("a quiet lake");
  d.set_background_negative_prompt("text");
  d.set_seed(4242);
  d.set_model_reference("sd15-lcm");
  Region& r = d.add_region("boat", "a red boat");
  r.negative_prompt = "people";
  for (int y = 10; y < 20; ++y)
    for (int x = 10; x < 20; ++x) r.mask.scanLine(y)[x] = 255;
  r.colour = QColor(255, 0, 0);
  QImage frame(d.canvas_size(), QImage::Format_RGB888);
  frame.fill(QColor(0, 0, 200));
  d.set_generated(frame);
  return d;
}
}  // namespace

TEST(PngExport, ParametersAndProjectJsonReadBackFromTextChunks) {
  QTemporaryDir dir;
  const QString path = dir.filePath("out.png");
  const Document d = generated_document();
  QString error;
  ASSERT_TRUE(export_png(d, path, false, &error)) << error.toStdString();
  QImageReader reader(path);
  // QImageReader::text() simplifies whitespace (newlines become spaces);
  // QImage::text() after read() gives the chunk exactly.
  EXPECT_TRUE(reader.text(kParametersChunk).startsWith("a quiet lake BREAK a red boat Negative prompt:"));
  const QImage image = reader.read();
  ASSERT_FALSE(image.isNull()) << reader.errorString().toStdString();
  const QString parameters = image.text(kParametersChunk);
  EXPECT_EQ(parameters.toStdString(),
            "a quiet lake BREAK a red boat\nNegative prompt: text BREAK people\n"
            "Steps: 5, Sampler: LCM, Seed: 4242, Size: 48x32, Model: sd15-lcm");
  const QJsonObject json = QJsonDocument::fromJson(image.text(kProjectChunk).toUtf8()).object();
  EXPECT_EQ(json["format"].toString(), "semdraw-project");
  EXPECT_EQ(json["seed"].toString(), "4242");
  EXPECT_EQ(json["regions"].toArray()[0].toObject()["prompt"].toString(), "a red boat");
  EXPECT_EQ(image.pixelColor(15, 15), QColor(0, 0, 200));  // no overlay asked for
}

TEST(PngExport, OverlayIsDrawnOnlyWhereRegionsArePainted) {
  QTemporaryDir dir;
  const QString path = dir.filePath("overlay.png");
  QString error;
  ASSERT_TRUE(export_png(generated_document(), path, true, &error)) << error.toStdString();
  const QImage image(path);
  EXPECT_EQ(image.pixelColor(2, 2), QColor(0, 0, 200));
  const QColor painted = image.pixelColor(15, 15);
  EXPECT_NEAR(painted.red(), 102, 2);  // 40 % red over blue
  EXPECT_NEAR(painted.blue(), 120, 2);
}

TEST(PngExport, NothingGeneratedOrUnwritablePathIsAnError) {
  QTemporaryDir dir;
  QString error;
  EXPECT_FALSE(export_png(Document(QSize(8, 8)), dir.filePath("empty.png"), false, &error));
  EXPECT_TRUE(error.contains("empty.png")) << error.toStdString();
  EXPECT_FALSE(export_png(generated_document(), dir.filePath("no/dir/x.png"), false, &error));
  EXPECT_TRUE(error.contains("x.png")) << error.toStdString();
}

}  // namespace semdraw::doc

#include "doc/document.h"

#include <gtest/gtest.h>

#include <QImage>
#include <QTemporaryDir>

#include "doc/image_io.h"

namespace semdraw::doc {

TEST(Document, NewRegionsGetEmptyCanvasSizedMasksAndDistinctColours) {
  Document document(QSize(640, 384));
  document.add_region("a", "a red eagle");
  document.add_region("b", "snowy mountains");
  ASSERT_EQ(document.regions().size(), 2u);
  for (const auto& region : document.regions()) {
    EXPECT_EQ(region.mask.size(), QSize(640, 384));
    EXPECT_EQ(region.mask.format(), QImage::Format_Grayscale8);
    EXPECT_EQ(region.mask.pixelColor(10, 10).value(), 0);
  }
  EXPECT_NE(document.regions()[0].colour, document.regions()[1].colour);
  document.remove_region(0);
  ASSERT_EQ(document.regions().size(), 1u);
  EXPECT_EQ(document.regions()[0].prompt, "snowy mountains");
  EXPECT_THROW(document.remove_region(5), std::out_of_range);
}

TEST(ImageIo, LoadsAPngAndNamesTheFileWhenItCannot) {
  QTemporaryDir dir;
  const QString good = dir.filePath("bg.png");
  QImage image(32, 16, QImage::Format_RGB888);
  image.fill(QColor(10, 200, 30));
  ASSERT_TRUE(image.save(good));
  QString error;
  const QImage loaded = load_image(good, &error);
  ASSERT_FALSE(loaded.isNull()) << error.toStdString();
  EXPECT_EQ(loaded.size(), QSize(32, 16));
  EXPECT_EQ(loaded.pixelColor(3, 3), QColor(10, 200, 30));

  const QString bad = dir.filePath("not-an-image.png");
  QFile file(bad);
  ASSERT_TRUE(file.open(QIODevice::WriteOnly));
  file.write("definitely not a PNG");
  file.close();
  EXPECT_TRUE(load_image(bad, &error).isNull());
  EXPECT_TRUE(error.contains("not-an-image.png")) << error.toStdString();
  EXPECT_TRUE(load_image(dir.filePath("missing.png"), &error).isNull());
  EXPECT_TRUE(error.contains("no such file")) << error.toStdString();
}

}  // namespace semdraw::doc

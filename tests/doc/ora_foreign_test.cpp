#include <gtest/gtest.h>

#include <QTemporaryDir>
#include <functional>

#include "doc/ora_reader.h"
#include "doc/ora_writer.h"
#include "support/krita_ora.h"
#include "zip_fixture.h"

namespace semdraw::doc {

using testing::png_of;

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
      "  <layer name=\"a yellow sun\" src=\"data/layer1.png\" x=\"30\" y=\"2\" opacity=\"1.0\" "
      "visibility=\"visible\"/>\n"
      "  <layer name=\"blue sky\" src=\"data/layer0.png\" x=\"0\" y=\"0\" opacity=\"0.8\" visibility=\"visible\"/>\n"
      "</stack></image>\n";
  ASSERT_TRUE(testing::write_plain_zip(path, {{"mimetype", "image/openraster"},
                                              {"stack.xml", stack},
                                              {"data/layer0.png", png_of(sky)},
                                              {"data/layer1.png", png_of(sun)},
                                              {"mergedimage.png", png_of(sky)}}));
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

using testing::KritaFile;

TEST(OraForeign, KritasWhiteBackgroundLayerBecomesTheBackgroundPicture) {
  QTemporaryDir dir;
  const QString path = dir.filePath("krita.ora");
  KritaFile krita;
  for (int x = 0; x < 64; ++x) krita.background.setPixel(x, 47, qRgba(90, 120, 150, 255));  // not just white
  ASSERT_TRUE(krita.write(path));
  Document d;
  QString error;
  QStringList notes;
  OraOrigin origin;
  ASSERT_TRUE(open_ora(path, &d, &error, &notes, &origin)) << error.toStdString();
  EXPECT_EQ(d.canvas_size(), QSize(64, 48));
  ASSERT_EQ(d.regions().size(), 1u) << "the Background layer must not become a region";
  EXPECT_EQ(d.regions()[0].prompt, "Paint Layer 1");
  EXPECT_EQ(d.regions()[0].mask.pixelColor(25, 15).value(), 255);
  EXPECT_EQ(d.regions()[0].mask.pixelColor(5, 5).value(), 0);
  ASSERT_FALSE(d.background().isNull());
  EXPECT_EQ(d.background().size(), QSize(64, 48));
  EXPECT_EQ(d.background().pixelColor(3, 3), QColor(255, 255, 255));
  EXPECT_EQ(d.background().pixelColor(10, 47), QColor(90, 120, 150));
  EXPECT_EQ(d.background_prompt(), Document().background_prompt()) << "the layer's name is no prompt";
  EXPECT_FALSE(origin.ours);
  EXPECT_EQ(origin.layers, 2);
  EXPECT_TRUE(origin.background_layer);
  ASSERT_EQ(notes.size(), 1) << notes.join("\n").toStdString();
  EXPECT_TRUE(notes[0].contains("Background")) << notes[0].toStdString();
  EXPECT_TRUE(is_foreign_ora(path));
}

// Each condition of the rule on its own keeps the bottom layer a region.
TEST(OraForeign, ABottomLayerThatIsNotAPlainOpaqueSheetStaysARegion) {
  struct Case {
    const char* what;
    std::function<void(KritaFile*)> tweak;
  };
  const std::vector<Case> cases = {
      {"one pixel not fully opaque", [](KritaFile* k) { k->background.setPixel(63, 0, qRgba(255, 255, 255, 254)); }},
      {"smaller than the canvas", [](KritaFile* k) { k->background = k->background.copy(0, 0, 64, 47); }},
      {"hidden", [](KritaFile* k) { k->background_attributes = R"(opacity="1" visibility="hidden")"; }},
      {"half opacity", [](KritaFile* k) { k->background_attributes = R"(opacity="0.5" visibility="visible")"; }},
      {"multiply", [](KritaFile* k) { k->background_attributes = R"(composite-op="svg:multiply")"; }},
      {"placed off the corner", [](KritaFile* k) { k->background_attributes = R"(x="1" y="0")"; }},
  };
  for (const Case& c : cases) {
    QTemporaryDir dir;
    const QString path = dir.filePath("k.ora");
    KritaFile krita;
    c.tweak(&krita);
    ASSERT_TRUE(krita.write(path)) << c.what;
    Document d;
    QString error;
    OraOrigin origin;
    ASSERT_TRUE(open_ora(path, &d, &error, nullptr, &origin)) << c.what << ": " << error.toStdString();
    EXPECT_EQ(d.regions().size(), 2u) << c.what;
    EXPECT_TRUE(d.background().isNull()) << c.what;
    EXPECT_FALSE(origin.background_layer) << c.what;
  }
}

// A flat picture saved as .ora (one opaque layer) opens as a background to paint over.
TEST(OraForeign, ASingleOpaqueLayerIsABackgroundWithNoRegions) {
  QTemporaryDir dir;
  const QString path = dir.filePath("flat.ora");
  QImage photo(32, 32, QImage::Format_ARGB32);
  for (int y = 0; y < 32; ++y)
    for (int x = 0; x < 32; ++x) photo.setPixel(x, y, qRgba(x * 8, y * 8, 100, 255));
  const QByteArray stack =
      "<image w=\"32\" h=\"32\"><stack><layer name=\"photo\" src=\"data/photo.png\"/></stack></image>";
  ASSERT_TRUE(testing::write_plain_zip(
      path, {{"mimetype", "image/openraster"}, {"stack.xml", stack}, {"data/photo.png", png_of(photo)}}));
  Document d;
  QString error;
  ASSERT_TRUE(open_ora(path, &d, &error)) << error.toStdString();
  EXPECT_TRUE(d.regions().empty());
  ASSERT_FALSE(d.background().isNull());
  EXPECT_EQ(d.background().pixelColor(31, 2), QColor(248, 16, 100));
}

// Ours carry semdraw/project.json and load exactly as before, even when a
// region is an opaque full-canvas sheet at the bottom (the rule is for
// other programs' files only).
TEST(OraForeign, OurProjectWithAFullCanvasBottomRegionLoadsAsBefore) {
  QTemporaryDir dir;
  const QString path = dir.filePath("ours.ora");
  Document saved(QSize(40, 30));
  Region& sheet = saved.add_region("sheet", "a white wall");
  sheet.colour = QColor(255, 255, 255);
  sheet.mask.fill(255);
  saved.add_region("cat", "a cat").mask.fill(0);
  QString error;
  ASSERT_TRUE(save_ora(saved, path, &error)) << error.toStdString();
  Document d;
  QStringList notes;
  OraOrigin origin;
  ASSERT_TRUE(open_ora(path, &d, &error, &notes, &origin)) << error.toStdString();
  ASSERT_EQ(d.regions().size(), 2u);
  EXPECT_EQ(d.regions()[0].prompt, "a white wall");
  EXPECT_TRUE(d.background().isNull());
  EXPECT_TRUE(notes.isEmpty());
  EXPECT_TRUE(origin.ours);
  EXPECT_FALSE(is_foreign_ora(path));
  EXPECT_FALSE(is_foreign_ora(dir.filePath("missing.ora")));
}

}  // namespace semdraw::doc

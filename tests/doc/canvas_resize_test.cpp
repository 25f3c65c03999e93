// Document::resize_canvas: crop/extend at scale 1, like a paint program's
// "canvas size", for masks, background and the last generated frame.
#include <gtest/gtest.h>

#include <QImage>

#include "doc/document.h"

namespace semdraw::doc {
namespace {

Document painted_document() {
  Document document(QSize(64, 32));
  document.add_region("a", "a red eagle").mask.scanLine(5)[10] = 200;
  Region& b = document.add_region("b", "snowy mountains");
  b.mask.scanLine(31)[63] = 90;  // bottom-right corner
  b.mask.scanLine(0)[0] = 70;    // top-left corner
  QImage background(64, 32, QImage::Format_RGB888);
  background.fill(QColor(10, 20, 30));
  document.set_background(background);
  return document;
}

TEST(CanvasResize, ExtendingAtTopLeftKeepsEveryPixelWhereItWas) {
  Document document = painted_document();
  document.resize_canvas(QSize(96, 48), Qt::AlignTop | Qt::AlignLeft);
  EXPECT_EQ(document.canvas_size(), QSize(96, 48));
  for (const Region& region : document.regions()) {
    EXPECT_EQ(region.mask.size(), QSize(96, 48));
    EXPECT_EQ(region.mask.format(), QImage::Format_Grayscale8);
  }
  EXPECT_EQ(document.regions()[0].mask.scanLine(5)[10], 200);
  EXPECT_EQ(document.regions()[1].mask.scanLine(31)[63], 90);
  EXPECT_EQ(document.regions()[1].mask.scanLine(0)[0], 70);
  EXPECT_EQ(document.regions()[1].mask.scanLine(47)[95], 0) << "new mask area is unpainted";
  EXPECT_EQ(document.background().size(), QSize(96, 48));
  EXPECT_EQ(document.background().pixelColor(63, 31), QColor(10, 20, 30));
  EXPECT_EQ(document.background().pixelColor(64, 10), QColor(Qt::white)) << "new background area is white";
}

TEST(CanvasResize, CentredCropShiftsByHalfTheDifference) {
  Document document = painted_document();
  document.resize_canvas(QSize(48, 24));  // centred: dx = -8, dy = -4
  EXPECT_EQ(document.regions()[0].mask.scanLine(1)[2], 200);
  int painted = 0;  // both corner pixels of region b were cropped away
  for (int y = 0; y < 24; ++y)
    for (int x = 0; x < 48; ++x) painted += document.regions()[1].mask.scanLine(y)[x] != 0;
  EXPECT_EQ(painted, 0);
  EXPECT_EQ(document.background().size(), QSize(48, 24));
  EXPECT_EQ(document.background().pixelColor(0, 0), QColor(10, 20, 30));
}

TEST(CanvasResize, BottomRightAnchorAndABackgroundOfAnotherSize) {
  Document document = painted_document();
  QImage small(16, 8, QImage::Format_RGB888);
  small.fill(QColor(200, 100, 50));
  document.set_background(small);  // shown stretched to 64x32, so it is scaled there first
  document.resize_canvas(QSize(80, 40), Qt::AlignBottom | Qt::AlignRight);
  EXPECT_EQ(document.regions()[1].mask.scanLine(39)[79], 90);
  EXPECT_EQ(document.regions()[1].mask.scanLine(8)[16], 70);
  EXPECT_EQ(document.background().size(), QSize(80, 40));
  EXPECT_EQ(document.background().pixelColor(79, 39), QColor(200, 100, 50));
  EXPECT_EQ(document.background().pixelColor(0, 0), QColor(Qt::white));
  EXPECT_TRUE(document.generated().isNull()) << "nothing generated stays nothing";
}

TEST(CanvasResize, RefusesEmptySizesAndLeavesTheDocumentAlone) {
  Document document = painted_document();
  EXPECT_THROW(document.resize_canvas(QSize(0, 32)), std::invalid_argument);
  EXPECT_EQ(document.canvas_size(), QSize(64, 32));
  EXPECT_EQ(document.regions()[0].mask.size(), QSize(64, 32));
}

}  // namespace
}  // namespace semdraw::doc

// What the canvas shows before and after frames: the background picture the
// artist paints over, an opened project's last frame, and after a canvas
// resize no frame stretched to the new size.
#include <gtest/gtest.h>

#include <QTemporaryDir>
#include <QTest>

#include "app/canvas/canvas_view.h"
#include "app/commands/edit_context.h"
#include "app/docks/generation_dock.h"
#include "app/docks/history_strip.h"
#include "app/engine_bridge/engine_controls.h"
#include "app/engine_bridge/engine_host.h"
#include "app/files/file_actions.h"
#include "app/main_window.h"
#include "doc/ora_writer.h"

namespace semdraw::app {
namespace {

QImage solid(QSize size, QColor colour) {
  QImage image(size, QImage::Format_RGB888);
  image.fill(colour);
  return image;
}

TEST(CanvasPicture, OpenedProjectShowsItsBackgroundThenItsLastFrame) {
  QTemporaryDir dir;
  doc::Document with_picture(QSize(64, 48));
  with_picture.add_region("a", "b");
  with_picture.set_background(solid(QSize(64, 48), QColor(20, 120, 220)));
  QString error;
  const QString picture_path = dir.filePath("picture.ora");
  ASSERT_TRUE(doc::save_ora(with_picture, picture_path, &error)) << error.toStdString();
  doc::Document with_frame = with_picture;
  with_frame.set_generated(solid(QSize(64, 48), QColor(200, 30, 40)));
  const QString frame_path = dir.filePath("frame.ora");
  ASSERT_TRUE(doc::save_ora(with_frame, frame_path, &error)) << error.toStdString();

  MainWindow window;
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  EXPECT_TRUE(window.canvas()->shown_image().isNull()) << "a new document shows white";

  window.file_actions()->open_path(picture_path);
  ASSERT_EQ(window.document().canvas_size(), QSize(64, 48));
  EXPECT_TRUE(window.canvas()->generated().isNull());
  EXPECT_EQ(window.canvas()->shown_image().pixelColor(10, 10), QColor(20, 120, 220));
  // And it is on screen, under the (empty) overlays.
  const QImage shown = window.canvas()->grab().toImage();
  EXPECT_EQ(QColor(shown.pixel(window.canvas()->canvas_rect().center())), QColor(20, 120, 220));

  window.file_actions()->open_path(frame_path);
  EXPECT_EQ(window.canvas()->generated().pixelColor(10, 10), QColor(200, 30, 40));
  EXPECT_EQ(window.canvas()->shown_image().pixelColor(10, 10), QColor(200, 30, 40));
}

TEST(CanvasPicture, AFrameIsNeverStretchedToANewCanvasSize) {
  MainWindow window;
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  const QSize before = window.document().canvas_size();
  const QImage red = solid(before, QColor(200, 30, 40));
  window.canvas()->set_generated(red);
  window.edit_context()->document()->set_generated(red);
  const QSize wider(before.width() + 256, before.height());
  ASSERT_TRUE(window.generation()->resize_canvas(wider, Qt::AlignCenter));
  // The frame at scale 1 where the resize put it (centred), white beside it:
  // the same picture the document now keeps.
  const auto expect_unstretched = [&](const QImage& shown) {
    ASSERT_EQ(shown.size(), wider);
    EXPECT_EQ(shown.pixelColor(10, 10), QColor(Qt::white)) << "stretched";
    EXPECT_EQ(shown.pixelColor(wider.width() / 2, 10), QColor(200, 30, 40));
    EXPECT_EQ(shown.pixelColor(128 + 5, 10), QColor(200, 30, 40)) << "from x 128 on, unscaled";
    EXPECT_EQ(shown.pixelColor(128 - 5, 10), QColor(Qt::white));
  };
  expect_unstretched(window.canvas()->generated());
  EXPECT_EQ(window.canvas()->generated(), window.document().generated().convertToFormat(QImage::Format_RGB888));

  // A frame of the old scene that the engine finishes after the resize: not
  // shown, not kept in the document or the history.
  const int history = window.history()->count();
  emit window.engine_controls()->host()->frame_ready(solid(before, QColor(10, 200, 10)), FrameStats{});
  expect_unstretched(window.canvas()->generated());
  EXPECT_EQ(window.document().generated().size(), wider);
  EXPECT_EQ(window.history()->count(), history);

  // One brought back from the history: at scale 1 too, and kept as shown.
  window.engine_controls()->show_still(red);
  expect_unstretched(window.canvas()->generated());
  EXPECT_EQ(window.document().generated().size(), wider);
}

}  // namespace
}  // namespace semdraw::app

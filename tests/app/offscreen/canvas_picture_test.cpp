// What the canvas shows before and after frames: the background picture the
// artist paints over, an opened project's last frame.
#include <gtest/gtest.h>

#include <QTemporaryDir>
#include <QTest>

#include "app/canvas_view.h"
#include "app/edit_context.h"
#include "app/file_actions.h"
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

}  // namespace
}  // namespace semdraw::app

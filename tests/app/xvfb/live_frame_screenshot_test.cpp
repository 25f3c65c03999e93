// The main window on a real X server showing a frame the tiny model rendered,
// with the region overlays over it: the picture an artist sees.
#include <gtest/gtest.h>

#include <QAction>
#include <QDir>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QScreen>
#include <QTest>
#include <cstdio>

#include "app/canvas/canvas_view.h"
#include "app/commands/edit_context.h"
#include "app/engine_bridge/engine_controls.h"
#include "app/engine_bridge/engine_host.h"
#include "app/main_window.h"
#include "support/tiny_model.h"

namespace semdraw::app {
namespace {

void paint_rect(doc::Region& region, QRect rect) {
  for (int y = rect.top(); y <= rect.bottom(); ++y)
    for (int x = rect.left(); x <= rect.right(); ++x) region.mask.scanLine(y)[x] = 255;
}

// Mean colour of a block of an image.
QColor mean(const QImage& image, QRect block) {
  double r = 0, g = 0, b = 0;
  for (int y = block.top(); y <= block.bottom(); ++y)
    for (int x = block.left(); x <= block.right(); ++x) {
      const QColor c = image.pixelColor(x, y);
      r += c.red(), g += c.green(), b += c.blue();
    }
  const double n = static_cast<double>(block.width()) * block.height();
  return QColor(qRound(r / n), qRound(g / n), qRound(b / n));
}

TEST(XvfbWindow, ShowsATinyModelFrameWithRegionOverlays) {
  doc::Document document(QSize(128, 128));
  doc::Region& sky = document.add_region("sky", "a blue sky with clouds");
  paint_rect(sky, QRect(0, 0, 128, 56));
  doc::Region& eagle = document.add_region("eagle", "a red eagle, wings spread");
  paint_rect(eagle, QRect(40, 64, 48, 48));

  MainWindow window;
  *window.edit_context()->document() = document;
  window.edit_context()->notify_canvas_resized();  // every panel reloads from the new document
  window.edit_context()->notify_settings_changed();
  window.edit_context()->set_current_region(1);
  window.canvas()->set_overlay_opacity(0.5);
  window.resize(1260, 940);  // the Xvfb screen is 1280x1024
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window, 10000));

  EngineOptions options;
  options.model = semdraw::test::tiny_model_dir().string();
  options.device = DeviceChoice::Cpu;
  window.engine_controls()->load_model(options);
  QElapsedTimer clock;
  clock.start();
  while (!window.engine_controls()->host()->has_model() && clock.elapsed() < 120000) QTest::qWait(20);
  ASSERT_TRUE(window.engine_controls()->host()->has_model());
  window.findChild<QAction*>("GenerateAction")->trigger();
  while (window.canvas()->generated().isNull() && clock.elapsed() < 240000) QTest::qWait(20);
  const QImage frame = window.canvas()->generated();
  ASSERT_FALSE(frame.isNull()) << "no frame arrived";
  QTest::qWait(300);  // let the repaint reach the server

  const QImage shot = window.screen()->grabWindow(0, window.x(), window.y(), window.width(), window.height()).toImage();
  QDir().mkpath(SEMDRAW_BINARY_DIR "/test-artifacts");
  const QString path = SEMDRAW_BINARY_DIR "/test-artifacts/main_window_tiny_frame_xvfb.png";
  EXPECT_TRUE(shot.save(path));

  // The eagle's block on screen is the frame tinted halfway to the eagle's
  // colour; compared as block means, which scaling does not disturb.
  const QPoint origin = window.canvas()->mapTo(&window, QPoint(0, 0));
  const auto on_screen = [&](QRect canvas_block) {
    const QPointF a = window.canvas()->canvas_to_widget(canvas_block.topLeft());
    const QPointF b = window.canvas()->canvas_to_widget(canvas_block.bottomRight() + QPoint(1, 1));
    return QRectF(a, b).toAlignedRect().adjusted(3, 3, -3, -3).translated(origin);
  };
  const QRect eagle_block(44, 68, 40, 40);
  const QColor frame_mean = mean(frame.convertToFormat(QImage::Format_RGB32), eagle_block);
  const QColor shown = mean(shot, on_screen(eagle_block));
  const QColor colour = window.document().regions()[1].colour;
  const QColor expected(qRound(0.5 * frame_mean.red() + 0.5 * colour.red()),
                        qRound(0.5 * frame_mean.green() + 0.5 * colour.green()),
                        qRound(0.5 * frame_mean.blue() + 0.5 * colour.blue()));
  std::printf("screenshot %s; eagle block: frame mean %s, shown %s, expected %s\n", qPrintable(path),
              qPrintable(frame_mean.name()), qPrintable(shown.name()), qPrintable(expected.name()));
  EXPECT_NEAR(shown.red(), expected.red(), 8);
  EXPECT_NEAR(shown.green(), expected.green(), 8);
  EXPECT_NEAR(shown.blue(), expected.blue(), 8);
  // Unpainted canvas shows the frame itself.
  const QRect bare_block(4, 70, 32, 48);  // left of the eagle, below the sky
  const QColor bare_frame = mean(frame.convertToFormat(QImage::Format_RGB32), bare_block);
  const QColor bare_shown = mean(shot, on_screen(bare_block));
  EXPECT_NEAR(bare_shown.red(), bare_frame.red(), 8);
  EXPECT_NEAR(bare_shown.green(), bare_frame.green(), 8);
  EXPECT_NEAR(bare_shown.blue(), bare_frame.blue(), 8);
}

}  // namespace
}  // namespace semdraw::app

// A real window on a real X server: map it, grab the screen as X shows it and
// check that what the artist would see is not blank.
#include <gtest/gtest.h>

#include <QDir>
#include <QGuiApplication>
#include <QScreen>
#include <QSet>
#include <QTest>

#include "app/main_window.h"

namespace semdraw::app {

TEST(XvfbWindow, ScreenshotOfTheMainWindowIsNotBlank) {
  ASSERT_EQ(QGuiApplication::platformName(), "xcb");
  MainWindow window;
  window.resize(1100, 760);
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window, 10000));
  QTest::qWait(300);  // let the first paint reach the server
  QScreen* screen = window.screen();
  ASSERT_NE(screen, nullptr);
  const QImage shot = screen->grabWindow(0, window.x(), window.y(), window.width(), window.height()).toImage();
  ASSERT_FALSE(shot.isNull());
  QDir().mkpath(SEMDRAW_BINARY_DIR "/test-artifacts");
  const QString path = SEMDRAW_BINARY_DIR "/test-artifacts/main_window_xvfb.png";
  EXPECT_TRUE(shot.save(path));

  // Count distinct colours on a coarse grid and the share of the dominant one.
  QSet<QRgb> colours;
  QHash<QRgb, int> counts;
  int samples = 0;
  for (int y = 0; y < shot.height(); y += 4)
    for (int x = 0; x < shot.width(); x += 4) {
      const QRgb pixel = shot.pixel(x, y) & 0xffffff;
      colours.insert(pixel);
      ++counts[pixel];
      ++samples;
    }
  int dominant = 0;
  for (int count : counts) dominant = std::max(dominant, count);
  std::printf("screenshot %s: %lld distinct colours, dominant covers %.1f%%\n", qPrintable(path),
              static_cast<long long>(colours.size()), 100.0 * dominant / samples);
  EXPECT_GE(colours.size(), 8) << "the window looks blank";
  EXPECT_LT(dominant, samples * 9 / 10) << "one colour covers over 90% of the window";
}

}  // namespace semdraw::app

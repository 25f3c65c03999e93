#include "app/docks/history_strip.h"

#include <gtest/gtest.h>

#include <QAction>
#include <QListWidget>
#include <QTest>

#include "app/canvas/canvas_view.h"
#include "app/main_window.h"

namespace semdraw::app {
namespace {

QImage solid(int grey) {
  QImage image(32, 32, QImage::Format_RGB888);
  image.fill(QColor(grey, grey, grey));
  return image;
}

TEST(HistoryStrip, KeepsRendersNewestFirstAndSamplesLiveFrames) {
  HistoryStrip strip;
  FrameStats stats;
  strip.add_frame(solid(10), stats, false);
  strip.add_frame(solid(20), stats, false);  // within the sampling interval: skipped
  ASSERT_EQ(strip.count(), 1);
  strip.add_frame(solid(30), stats, true);  // renders always land
  ASSERT_EQ(strip.count(), 2);
  EXPECT_EQ(strip.frame_at(0), solid(30));
  EXPECT_EQ(strip.frame_at(1), solid(10));
}

FrameStats settled_stats() {
  FrameStats stats;
  stats.settled = true;
  return stats;
}

// A CPU stream (a frame every few seconds) or a settled one repeats the same
// picture: each copy used to land, one per kLiveSampleInterval (~17 identical
// "live" thumbnails in 90 s).
TEST(HistoryStrip, AddsALiveFrameOnlyWhenItDiffersFromTheNewestLiveOne) {
  HistoryStrip strip;
  FrameStats stats;
  const auto past_the_interval = [] { QTest::qWait(int(HistoryStrip::kLiveSampleInterval.count()) + 200); };
  strip.add_frame(solid(100), stats, false);
  ASSERT_EQ(strip.count(), 1);
  past_the_interval();
  strip.add_frame(solid(100), stats, false);  // the same picture again
  EXPECT_EQ(strip.count(), 1);
  past_the_interval();
  strip.add_frame(solid(101), stats, false);  // one grey level: no thumbnail can show it
  EXPECT_EQ(strip.count(), 1);
  past_the_interval();
  strip.add_frame(solid(160), stats, false);  // a visible change
  ASSERT_EQ(strip.count(), 2);
  EXPECT_EQ(strip.frame_at(0), solid(160));
}

TEST(HistoryStrip, TheSettledFrameLandsAtOnceAndASettledLiveAddsNoMore) {
  HistoryStrip strip;
  FrameStats stats;
  strip.add_frame(solid(40), stats, false);  // mid-convergence sample
  // The settled frame comes within the interval, but it is the one the
  // stream rests on: it must not be lost behind the sampling.
  strip.add_frame(solid(200), settled_stats(), false);
  ASSERT_EQ(strip.count(), 2);
  EXPECT_EQ(strip.frame_at(0), solid(200));
  // Live stopped and started again on the unchanged scene: the same settled frame.
  for (int i = 0; i < 5; ++i) strip.add_frame(solid(200), settled_stats(), false);
  EXPECT_EQ(strip.count(), 2);
  // Renders always land, even the same picture.
  strip.add_frame(solid(200), stats, true);
  EXPECT_EQ(strip.count(), 3);
}

TEST(HistoryStrip, KeptFramesNeverRollOff) {
  HistoryStrip strip;
  FrameStats stats;
  strip.add_frame(solid(1), stats, true);
  strip.set_kept(0, true);
  for (int i = 0; i < HistoryStrip::kMaxUnkept + 10; ++i) strip.add_frame(solid(100 + i), stats, true);
  ASSERT_EQ(strip.count(), HistoryStrip::kMaxUnkept + 1);
  EXPECT_TRUE(strip.is_kept(strip.count() - 1));
  EXPECT_EQ(strip.frame_at(strip.count() - 1), solid(1));
  EXPECT_EQ(strip.frame_at(0), solid(100 + HistoryStrip::kMaxUnkept + 9));
  strip.set_kept(strip.count() - 1, false);  // now it is the oldest unkept one
  EXPECT_EQ(strip.count(), HistoryStrip::kMaxUnkept);
}

TEST(HistoryStrip, ClickingAFrameBringsItBackOntoTheCanvasAndDocument) {
  MainWindow window;
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  FrameStats stats;
  const QImage old_frame = solid(77).scaled(512, 512);
  window.history()->add_frame(old_frame, stats, true);
  window.history()->add_frame(solid(200).scaled(512, 512), stats, true);
  QListWidget* list = window.history()->list();
  const QRect second = list->visualItemRect(list->item(1));
  ASSERT_FALSE(second.isEmpty());
  QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, second.center());
  EXPECT_EQ(window.canvas()->generated(), old_frame);
  EXPECT_EQ(window.document().generated(), old_frame);
  EXPECT_FALSE(window.findChild<QAction*>("LiveAction")->isChecked());
}

}  // namespace
}  // namespace semdraw::app

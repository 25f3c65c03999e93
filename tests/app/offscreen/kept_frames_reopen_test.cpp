// Frames kept in the History strip belong to the project (issue 13 point 7):
// keeping one is a change, the project stores them losslessly, and opening
// it (or recovering it after a crash) puts them back in the strip as kept.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <QFile>
#include <QListWidget>
#include <cstring>
#include <random>

#include "app/docks/history_strip.h"
#include "app/files/autosave.h"
#include "app/files/file_actions.h"
#include "app/main_window.h"
#include "app/offscreen/file_test_support.h"
#include "doc/ora_reader.h"

namespace semdraw::app {
namespace {

QImage noise_frame(unsigned seed) {
  std::mt19937 rng(seed);
  QImage image(512, 512, QImage::Format_RGB888);
  for (int y = 0; y < image.height(); ++y) {
    uchar* row = image.scanLine(y);
    for (int x = 0; x < image.width() * 3; ++x) row[x] = static_cast<uchar>(rng() & 0xff);
  }
  return image;
}

bool bit_exact(const QImage& a, const QImage& b) {
  if (a.size() != b.size()) return false;
  const QImage ca = a.convertToFormat(QImage::Format_RGB888), cb = b.convertToFormat(QImage::Format_RGB888);
  for (int y = 0; y < ca.height(); ++y)
    if (std::memcmp(ca.constScanLine(y), cb.constScanLine(y), static_cast<size_t>(ca.width()) * 3) != 0) return false;
  return true;
}

using KeptFramesReopen = testing_support::FileTest;

TEST_F(KeptFramesReopen, KeptFramesComeBackKeptAfterSavingAndOpening) {
  const QString path = file("kept.ora");
  std::vector<QImage> kept;
  QStringList tips;
  {
    MainWindow window;
    HistoryStrip* history = window.history();
    FrameStats stats;
    for (unsigned i = 0; i < 4; ++i) {
      stats.frame_id = 10 + i;
      stats.total_ms = 100 + i;
      history->add_frame(noise_frame(i), stats, true);
    }
    ASSERT_TRUE(window.file_actions()->save_to(path));
    EXPECT_FALSE(window.isWindowModified());
    history->set_kept(1, true);  // frames 2 and 0 (newest first)
    history->set_kept(3, true);
    EXPECT_TRUE(window.isWindowModified()) << "keeping a frame is a change to the project";
    kept = {history->frame_at(1), history->frame_at(3)};
    tips = QStringList{history->list()->item(1)->toolTip(), history->list()->item(3)->toolTip()};
    ASSERT_TRUE(window.file_actions()->save());
  }
  MainWindow window;
  HistoryStrip* history = window.history();
  history->add_frame(noise_frame(99), FrameStats{}, true);  // this session's own frame
  ASSERT_TRUE(window.file_actions()->open_path(path));
  EXPECT_FALSE(window.isWindowModified());
  ASSERT_EQ(history->count(), 3);
  EXPECT_FALSE(history->is_kept(0));  // the session's frame stays, unkept, newest
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(history->is_kept(1 + i));
    EXPECT_TRUE(bit_exact(history->frame_at(1 + i), kept[static_cast<size_t>(i)])) << "kept frame " << i;
    EXPECT_EQ(history->list()->item(1 + i)->toolTip(), tips[i]);
    EXPECT_EQ(history->list()->item(1 + i)->text(), "render");
  }
  // New drops the project's kept frames with the project.
  window.file_actions()->new_document();
  EXPECT_EQ(history->count(), 1);
}

// Crash recovery carries them too, in a recovery file only the user can read.
TEST_F(KeptFramesReopen, AutosaveKeepsThemInAPrivateFile) {
  const mode_t previous = ::umask(022);
  MainWindow window;
  window.file_actions()->autosaver()->set_intervals(20, 100);
  window.history()->add_frame(noise_frame(5), FrameStats{}, true);
  window.history()->set_kept(0, true);
  Autosaver* saver = window.file_actions()->autosaver();
  ASSERT_TRUE(saver->pending() || saver->writing()) << "keeping schedules an autosave";
  ASSERT_TRUE(saver->wait_until_idle(10000));
  doc::Document autosaved;
  QString error;
  ASSERT_TRUE(doc::open_ora(saver->recovery_path(), &autosaved, &error)) << error.toStdString();
  ASSERT_EQ(autosaved.kept_frames().size(), 1u);
  EXPECT_TRUE(bit_exact(autosaved.kept_frames()[0].image, noise_frame(5)));
  struct stat ora {
  }, sidecar{};
  ASSERT_EQ(::stat(QFile::encodeName(saver->recovery_path()).constData(), &ora), 0);
  ASSERT_EQ(::stat(QFile::encodeName(saver->sidecar_path()).constData(), &sidecar), 0);
  ::umask(previous);
  EXPECT_EQ(ora.st_mode & 0777, 0600u);
  EXPECT_EQ(sidecar.st_mode & 0777, 0600u);
}

}  // namespace
}  // namespace semdraw::app

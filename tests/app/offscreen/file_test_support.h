#pragma once
// Shared by the file and autosave tests: painting through the undo stack,
// bitwise mask comparison, and a fixture with a private recovery folder.
#include <gtest/gtest.h>

#include <QDir>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUndoStack>
#include <cstring>

#include "app/commands/edit_context.h"
#include "app/commands/mask_commands.h"
#include "app/files/autosave.h"
#include "app/files/file_actions.h"
#include "app/main_window.h"

namespace semdraw::app::testing_support {

// Paints a deterministic pattern into `rect` of a region's mask as one undo step.
inline void paint(MainWindow& window, int region, QRect rect, int seed) {
  EditContext* context = window.edit_context();
  QImage& mask = context->document()->region(region).mask;
  const QImage before = mask.copy();
  for (int y = rect.top(); y <= rect.bottom(); ++y) {
    uchar* row = mask.scanLine(y);
    for (int x = rect.left(); x <= rect.right(); ++x) row[x] = static_cast<uchar>((x * 7 + y * 13 + seed) % 256);
  }
  window.undo_stack()->push(make_patch(context, region, before, rect, "paint"));
}

// Same regions with bitwise equal Grayscale8 masks.
inline bool same_masks(const doc::Document& a, const doc::Document& b) {
  if (a.regions().size() != b.regions().size()) return false;
  for (size_t i = 0; i < a.regions().size(); ++i) {
    const QImage& ma = a.regions()[i].mask;
    const QImage& mb = b.regions()[i].mask;
    if (ma.size() != mb.size() || ma.format() != QImage::Format_Grayscale8 || mb.format() != ma.format()) return false;
    for (int y = 0; y < ma.height(); ++y)
      if (std::memcmp(ma.constScanLine(y), mb.constScanLine(y), static_cast<size_t>(ma.width())) != 0) return false;
  }
  return true;
}

// An empty recovery folder and recent-files list (in this process's own
// folders: support/qt_test_settings.h), and a temporary folder for the files
// a test writes.
class FileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Never another process's folder: the clean-up below would delete its files.
    ASSERT_TRUE(Autosaver::recovery_dir().startsWith(qEnvironmentVariable("XDG_DATA_HOME") + "/"))
        << Autosaver::recovery_dir().toStdString();
    QDir(Autosaver::recovery_dir()).removeRecursively();
    FileActions::clear_recent_files();
    ASSERT_TRUE(dir.isValid());
  }
  void TearDown() override {
    QDir(Autosaver::recovery_dir()).removeRecursively();
    FileActions::clear_recent_files();
  }
  QString file(const QString& name) const { return dir.filePath(name); }

  QTemporaryDir dir;
};

}  // namespace semdraw::app::testing_support

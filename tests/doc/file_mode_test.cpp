#include <gtest/gtest.h>
#include <sys/stat.h>

#include <QFile>
#include <QTemporaryDir>

#include "doc/ora_writer.h"
#include "doc/png_export.h"
#include "fileio/fileio_test_support.h"

namespace semdraw::doc {

namespace {

mode_t mode_of(const QString& path) {
  struct stat st {};
  return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? (st.st_mode & 07777) : 0;
}

using fileio::testing::UmaskFor;

Document small_document() {
  Document d(QSize(16, 16));
  d.add_region("a", "b").mask.fill(128);
  d.set_generated(QImage(16, 16, QImage::Format_RGB888));
  return d;
}

}  // namespace

TEST(FileModes, ANewProjectGetsTheUmasksPermissionsAsThePngExportDoes) {
  QTemporaryDir dir;
  QString error;
  {
    UmaskFor mask(022);
    ASSERT_TRUE(save_ora(small_document(), dir.filePath("shared.ora"), &error)) << error.toStdString();
    ASSERT_TRUE(export_png(small_document(), dir.filePath("shared.png"), false, &error)) << error.toStdString();
  }
  EXPECT_EQ(mode_of(dir.filePath("shared.ora")), 0644u);
  EXPECT_EQ(mode_of(dir.filePath("shared.png")), 0644u);
  {
    UmaskFor mask(027);
    ASSERT_TRUE(save_ora(small_document(), dir.filePath("group.ora"), &error)) << error.toStdString();
  }
  EXPECT_EQ(mode_of(dir.filePath("group.ora")), 0640u);
}

TEST(FileModes, ReplacingAProjectKeepsItsMode) {
  QTemporaryDir dir;
  const QString path = dir.filePath("p.ora");
  UmaskFor mask(022);
  QString error;
  ASSERT_TRUE(save_ora(small_document(), path, &error)) << error.toStdString();
  for (mode_t mode : {0600u, 0664u, 0640u}) {
    ASSERT_EQ(::chmod(QFile::encodeName(path).constData(), mode), 0);
    ASSERT_TRUE(save_ora(small_document(), path, &error)) << error.toStdString();
    EXPECT_EQ(mode_of(path), mode) << std::oct << mode;
  }
}

// Autosave and crash-recovery copies live in the user's own state folder:
// private whatever the umask, and even over a more open file.
TEST(FileModes, PrivateFilesAreOwnerOnly) {
  QTemporaryDir dir;
  const QString path = dir.filePath("recovery.ora");
  UmaskFor mask(022);
  QString error;
  ASSERT_TRUE(save_ora(small_document(), path, &error, {.access = FileAccess::Private})) << error.toStdString();
  EXPECT_EQ(mode_of(path), 0600u);
  ASSERT_EQ(::chmod(QFile::encodeName(path).constData(), 0644), 0);
  ASSERT_TRUE(save_ora(small_document(), path, &error, {.access = FileAccess::Private})) << error.toStdString();
  EXPECT_EQ(mode_of(path), 0600u);
}

}  // namespace semdraw::doc

// Autosave and crash recovery through the main window. A crash is simulated
// by leaving a recovery file whose sidecar names a dead process.
#include "app/files/autosave.h"

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPushButton>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QUndoStack>
#include <cstdio>
#include <cstring>

#include "app/commands/edit_context.h"
#include "app/commands/mask_commands.h"
#include "app/docks/banner_bar.h"
#include "app/files/file_actions.h"
#include "app/main_window.h"
#include "app/offscreen/file_test_support.h"
#include "doc/ora_reader.h"

namespace semdraw::app {
namespace {

// Above Linux's largest pid (pid_max is at most 2^22): never a live process.
constexpr qint64 kDeadPid = qint64(1) << 30;

using testing_support::paint;
using testing_support::same_masks;

QJsonObject read_json(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QJsonDocument::fromJson(f.readAll()).object();
}

QPushButton* banner_button(MainWindow& window, const QString& label) {
  for (auto* button : window.banner()->findChildren<QPushButton*>("BannerAction"))
    if (button->text() == label && button->isVisible()) return button;
  return nullptr;
}

class Autosave : public testing_support::FileTest {
 protected:
  static void fast(MainWindow& window) { window.file_actions()->autosaver()->set_intervals(20, 100); }

  // Leaves `window`'s recovery files behind as a crashed process would:
  // copies under another name, the sidecar naming a dead pid.
  RecoveryEntry crash_copy(MainWindow& window, const QString& original_path) {
    Autosaver* saver = window.file_actions()->autosaver();
    RecoveryEntry entry;
    entry.ora_path = Autosaver::recovery_dir() + "/session-crashed-0.ora";
    entry.sidecar_path = Autosaver::recovery_dir() + "/session-crashed-0.json";
    EXPECT_TRUE(QFile::copy(saver->recovery_path(), entry.ora_path));
    QJsonObject sidecar = read_json(saver->sidecar_path());
    sidecar["pid"] = kDeadPid;
    sidecar["original_path"] = original_path;
    QFile f(entry.sidecar_path);
    EXPECT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(QJsonDocument(sidecar).toJson());
    return entry;
  }
};

TEST_F(Autosave, WritesAfterChangesOnAWorkerAndRemovesTheFilesOnSave) {
  MainWindow window;
  fast(window);
  Autosaver* saver = window.file_actions()->autosaver();
  QStringList written;
  QObject::connect(saver, &Autosaver::written, [&](const QString& path) { written << path; });
  EXPECT_FALSE(QFile::exists(saver->recovery_path()));
  paint(window, 1, QRect(10, 10, 50, 50), 1);
  EXPECT_TRUE(saver->pending());
  ASSERT_TRUE(saver->wait_until_idle(10000));
  ASSERT_EQ(written.size(), 1);
  ASSERT_TRUE(QFile::exists(saver->recovery_path()));
  const QJsonObject sidecar = read_json(saver->sidecar_path());
  EXPECT_EQ(sidecar["pid"].toInteger(), QCoreApplication::applicationPid());
  EXPECT_EQ(sidecar["original_path"].toString(), "");
  EXPECT_TRUE(QDateTime::fromString(sidecar["time"].toString(), Qt::ISODate).isValid());
  doc::Document autosaved;
  QString error;
  ASSERT_TRUE(doc::open_ora(saver->recovery_path(), &autosaved, &error)) << error.toStdString();
  EXPECT_TRUE(same_masks(autosaved, window.document()));

  // A clean save leaves nothing to recover.
  ASSERT_TRUE(window.file_actions()->save_to(dir.filePath("saved.ora")));
  EXPECT_FALSE(QFile::exists(saver->recovery_path()));
  EXPECT_FALSE(QFile::exists(saver->sidecar_path()));
  // Edits after the save autosave again, with the project's path; undoing
  // back to the saved state removes them.
  paint(window, 0, QRect(0, 0, 8, 8), 2);
  ASSERT_TRUE(saver->wait_until_idle(10000));
  EXPECT_EQ(read_json(saver->sidecar_path())["original_path"].toString(), dir.filePath("saved.ora"));
  window.undo_stack()->undo();
  EXPECT_FALSE(QFile::exists(saver->recovery_path()));
}

TEST_F(Autosave, ChangesDuringAWriteAreCoalescedIntoOneMoreWrite) {
  MainWindow window;
  window.file_actions()->autosaver()->set_intervals(60000, 60000);  // only explicit writes here
  Autosaver* saver = window.file_actions()->autosaver();
  int writes = 0;
  QObject::connect(saver, &Autosaver::written, [&] { ++writes; });
  paint(window, 1, QRect(0, 0, 100, 100), 1);
  saver->write_now();
  EXPECT_TRUE(saver->writing());
  for (int i = 0; i < 5; ++i) {  // painting goes on while the worker writes
    paint(window, 1, QRect(i * 10, 200, 10, 10), i);
    saver->write_now();
  }
  ASSERT_TRUE(saver->wait_until_idle(20000));
  EXPECT_EQ(writes, 2);  // the first, and one with everything since
  doc::Document autosaved;
  QString error;
  ASSERT_TRUE(doc::open_ora(saver->recovery_path(), &autosaved, &error)) << error.toStdString();
  EXPECT_TRUE(same_masks(autosaved, window.document()));
}

TEST_F(Autosave, ContinuousWorkIsWrittenWithinTheMaximumWait) {
  MainWindow window;
  Autosaver* saver = window.file_actions()->autosaver();
  saver->set_intervals(200, 400);
  int writes = 0;
  QObject::connect(saver, &Autosaver::written, [&] { ++writes; });
  QElapsedTimer clock;
  clock.start();
  // A change every 50 ms never lets the 200 ms debounce run out, so only the
  // 400 ms maximum wait writes. On an idle machine two writes land within
  // ~1 s; a loaded CI machine (other tests on both cores) makes each write
  // slower, so the bound is generous and the time taken is printed.
  for (int i = 0; writes < 2 && clock.elapsed() < 20000; ++i) {
    paint(window, 0, QRect(i % 500, 0, 4, 4), i);
    QTest::qWait(50);
  }
  std::printf("two autosaves during continuous work took %lld ms (maximum wait 400 ms)\n",
              static_cast<long long>(clock.elapsed()));
  EXPECT_GE(writes, 2);
}

TEST_F(Autosave, CrashedSessionIsOfferedAndRecoveredAsModified) {
  const QString original = dir.filePath("painting.ora");
  doc::Document crashed_document;
  RecoveryEntry entry;
  {
    MainWindow crashed;
    fast(crashed);
    ASSERT_TRUE(crashed.file_actions()->save_to(original));
    paint(crashed, 0, QRect(5, 5, 200, 100), 7);
    paint(crashed, 1, QRect(100, 300, 150, 150), 8);
    ASSERT_TRUE(crashed.file_actions()->autosaver()->wait_until_idle(10000));
    crashed_document = crashed.document();
    entry = crash_copy(crashed, QFileInfo(original).absoluteFilePath());
  }
  ASSERT_TRUE(QFile::exists(entry.ora_path));  // the crash left it

  MainWindow window;
  window.show();
  ASSERT_EQ(window.banner()->message_count(), 1);
  EXPECT_TRUE(window.banner()->texts().first().contains("painting.ora"));
  // Claimed: another window would not offer it again.
  EXPECT_EQ(read_json(entry.sidecar_path)["pid"].toInteger(), QCoreApplication::applicationPid());
  {
    MainWindow second;
    EXPECT_EQ(second.banner()->message_count(), 0);
  }
  ASSERT_NE(banner_button(window, "Discard"), nullptr);
  // Unsaved changes here first: Cancel keeps them, and the offer stays.
  paint(window, 0, QRect(0, 0, 3, 3), 1);
  const doc::Document mine = window.document();
  SaveChoice choice = SaveChoice::Cancel;
  window.file_actions()->ask_save_changes = [&](const QString&) { return choice; };
  ASSERT_NE(banner_button(window, "Recover"), nullptr);
  QTest::mouseClick(banner_button(window, "Recover"), Qt::LeftButton);
  EXPECT_TRUE(same_masks(window.document(), mine));
  ASSERT_EQ(window.banner()->message_count(), 1);
  QTest::qWait(20);  // the closed row goes on deleteLater
  choice = SaveChoice::Discard;
  ASSERT_NE(banner_button(window, "Recover"), nullptr);
  QTest::mouseClick(banner_button(window, "Recover"), Qt::LeftButton);

  EXPECT_TRUE(same_masks(window.document(), crashed_document));
  EXPECT_TRUE(window.isWindowModified());
  EXPECT_EQ(window.file_actions()->path(), QFileInfo(original).absoluteFilePath());
  EXPECT_EQ(window.windowTitle(), "painting.ora[*] — SemanticDraw");
  EXPECT_EQ(window.banner()->message_count(), 0);
  // Its files are this session's now: a save removes them.
  EXPECT_EQ(window.file_actions()->autosaver()->recovery_path(), entry.ora_path);
  ASSERT_TRUE(window.file_actions()->save());
  EXPECT_FALSE(window.isWindowModified());
  EXPECT_FALSE(QFile::exists(entry.ora_path));
  EXPECT_FALSE(QFile::exists(entry.sidecar_path));
  doc::Document saved;
  QString error;
  ASSERT_TRUE(doc::open_ora(original, &saved, &error)) << error.toStdString();
  EXPECT_TRUE(same_masks(saved, crashed_document));
}

TEST_F(Autosave, DiscardingTheOfferRemovesTheFiles) {
  RecoveryEntry entry;
  {
    MainWindow crashed;
    fast(crashed);
    paint(crashed, 0, QRect(5, 5, 20, 20), 1);
    ASSERT_TRUE(crashed.file_actions()->autosaver()->wait_until_idle(10000));
    entry = crash_copy(crashed, QString());
  }
  MainWindow window;
  ASSERT_EQ(window.banner()->message_count(), 1);
  EXPECT_TRUE(window.banner()->texts().first().contains("untitled"));
  window.show();
  QPushButton* discard = banner_button(window, "Discard");
  ASSERT_NE(discard, nullptr);
  QTest::mouseClick(discard, Qt::LeftButton);
  EXPECT_FALSE(QFile::exists(entry.ora_path));
  EXPECT_FALSE(QFile::exists(entry.sidecar_path));
  EXPECT_EQ(window.document().regions()[0].mask.constScanLine(10)[10], 0);  // nothing recovered
  MainWindow later;
  EXPECT_EQ(later.banner()->message_count(), 0);
}

TEST_F(Autosave, LiveSessionsAndDamagedFilesAreNotOffered) {
  QDir().mkpath(Autosaver::recovery_dir());
  MainWindow alive;  // this process: alive
  fast(alive);
  paint(alive, 0, QRect(0, 0, 10, 10), 1);
  ASSERT_TRUE(alive.file_actions()->autosaver()->wait_until_idle(10000));
  // A sidecar whose .ora never got written (crash during the first write).
  QFile lonely(Autosaver::recovery_dir() + "/session-lonely.json");
  ASSERT_TRUE(lonely.open(QIODevice::WriteOnly));
  lonely.write(R"({"format": "semdraw-recovery", "version": 1, "pid": 1073741824, "original_path": ""})");
  lonely.close();
  // A damaged recovery project with a dead pid: offered; recovering fails
  // with the reason in the banner and keeps the file.
  QFile broken(Autosaver::recovery_dir() + "/session-broken.ora");
  ASSERT_TRUE(broken.open(QIODevice::WriteOnly));
  broken.write("not a zip");
  broken.close();
  QFile broken_sidecar(Autosaver::recovery_dir() + "/session-broken.json");
  ASSERT_TRUE(broken_sidecar.open(QIODevice::WriteOnly));
  broken_sidecar.write(R"({"format": "semdraw-recovery", "version": 1, "pid": 1073741824, "original_path": ""})");
  broken_sidecar.close();

  MainWindow window;
  window.show();
  EXPECT_FALSE(QFile::exists(lonely.fileName()));
  ASSERT_EQ(window.banner()->message_count(), 1);
  const doc::Document before = window.document();
  QTest::mouseClick(banner_button(window, "Recover"), Qt::LeftButton);
  EXPECT_TRUE(same_masks(window.document(), before));
  ASSERT_EQ(window.banner()->message_count(), 2);  // why, and the offer again
  EXPECT_TRUE(window.banner()->texts().first().contains("session-broken.ora"));
  // One message at a time: closing the reason brings the offer back.
  QTest::qWait(20);  // the closed offer's row goes (deleteLater)
  QTest::mouseClick(window.banner()->findChild<QToolButton*>("BannerClose"), Qt::LeftButton);
  QTest::qWait(20);
  EXPECT_NE(banner_button(window, "Recover"), nullptr);
  EXPECT_TRUE(QFile::exists(broken.fileName()));
}

}  // namespace
}  // namespace semdraw::app

// Saving over an .ora another program wrote (issue 13 point 6): Save and
// Save As ask first, through the real message box and through the hook;
// our own projects save without a word.
#include <gtest/gtest.h>

#include <QApplication>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>

#include "app/files/file_actions.h"
#include "app/main_window.h"
#include "app/offscreen/file_test_support.h"
#include "doc/ora_reader.h"
#include "support/krita_ora.h"

namespace semdraw::app {
namespace {

using doc::testing::read_all;

class ForeignFileSave : public testing_support::FileTest {
 protected:
  // A Krita file opened in the window; the hook records what it was asked.
  QString open_krita_file(MainWindow& window) {
    const QString path = file("krita.ora");
    EXPECT_TRUE(doc::testing::KritaFile().write(path));
    krita_bytes = read_all(path);
    EXPECT_TRUE(window.file_actions()->open_path(path));
    window.file_actions()->ask_overwrite_foreign = [this](const QString& name, const QString& what) {
      asked << name + ": " + what;
      return answer;
    };
    return path;
  }

  QByteArray krita_bytes;
  QStringList asked;
  ForeignSaveChoice answer = ForeignSaveChoice::Cancel;
};

TEST_F(ForeignFileSave, SaveAsIsOfferedAndLeavesTheOtherProgramsFileAlone) {
  MainWindow window;
  const QString krita = open_krita_file(window);
  answer = ForeignSaveChoice::SaveAs;
  window.file_actions()->ask_path = [this](PathPurpose, const QString&) { return file("mine.ora"); };
  ASSERT_TRUE(window.file_actions()->save());
  ASSERT_EQ(asked.size(), 1);
  // It says which file, that another program made it, and what becomes of its layers.
  EXPECT_TRUE(asked[0].startsWith("krita.ora: ")) << asked[0].toStdString();
  EXPECT_TRUE(asked[0].contains("another program")) << asked[0].toStdString();
  EXPECT_TRUE(asked[0].contains("its 2 layers become 1 region")) << asked[0].toStdString();
  EXPECT_TRUE(asked[0].contains("the background picture")) << asked[0].toStdString();
  EXPECT_EQ(read_all(krita), krita_bytes) << "the Krita file must be untouched";
  EXPECT_FALSE(doc::is_foreign_ora(file("mine.ora")));
  EXPECT_EQ(window.file_actions()->path(), file("mine.ora"));
  // From now on it is our file: saving asks nothing.
  ASSERT_TRUE(window.file_actions()->save());
  EXPECT_EQ(asked.size(), 1);
}

TEST_F(ForeignFileSave, OverwriteRewritesItAsOurProjectOnce) {
  MainWindow window;
  const QString krita = open_krita_file(window);
  answer = ForeignSaveChoice::Overwrite;
  ASSERT_TRUE(window.file_actions()->save());
  EXPECT_EQ(asked.size(), 1);
  EXPECT_FALSE(doc::is_foreign_ora(krita));
  doc::Document reopened;
  QString error;
  ASSERT_TRUE(doc::open_ora(krita, &reopened, &error)) << error.toStdString();
  EXPECT_EQ(reopened.regions().size(), 1u);
  EXPECT_FALSE(reopened.background().isNull());
  ASSERT_TRUE(window.file_actions()->save());
  EXPECT_EQ(asked.size(), 1) << "our file now: no second question";
}

TEST_F(ForeignFileSave, CancelWritesNothing) {
  MainWindow window;
  const QString krita = open_krita_file(window);
  answer = ForeignSaveChoice::Cancel;
  EXPECT_FALSE(window.file_actions()->save());
  // Save As onto the same file asks too.
  window.file_actions()->ask_path = [krita](PathPurpose, const QString&) { return krita; };
  EXPECT_FALSE(window.file_actions()->save_as());
  EXPECT_EQ(asked.size(), 2);
  EXPECT_EQ(read_all(krita), krita_bytes);
  EXPECT_TRUE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden) == QStringList{"krita.ora"});
}

TEST_F(ForeignFileSave, OurOwnProjectsSaveWithoutAsking) {
  MainWindow window;
  ASSERT_TRUE(window.file_actions()->save_to(file("ours.ora")));
  ASSERT_TRUE(window.file_actions()->open_path(file("ours.ora")));
  window.file_actions()->ask_overwrite_foreign = [this](const QString& name, const QString&) {
    asked << name;
    return ForeignSaveChoice::Cancel;
  };
  EXPECT_TRUE(window.file_actions()->save());
  EXPECT_TRUE(asked.isEmpty());
}

// The real message box: Save As… is the default button, and its buttons do
// what they say. Driven by finding the box once it is up, as a user sees it.
TEST_F(ForeignFileSave, TheMessageBoxDefaultsToSaveAsAndItsButtonsWork) {
  MainWindow window;
  window.show();
  const QString krita = file("krita.ora");
  ASSERT_TRUE(doc::testing::KritaFile().write(krita));
  const QByteArray before = read_all(krita);
  ASSERT_TRUE(window.file_actions()->open_path(krita));

  QString text, default_button;
  QStringList buttons;
  // Presses `button` in the box as soon as it shows; records what it showed.
  auto press_when_shown = [&](const char* button) {
    auto* poll = new QTimer(&window);
    QObject::connect(poll, &QTimer::timeout, [&, poll, button] {
      QMessageBox* box = nullptr;
      for (QWidget* top : QApplication::topLevelWidgets())
        if (top->isVisible() && top->objectName() == "ForeignFileDialog") box = qobject_cast<QMessageBox*>(top);
      if (!box) return;
      poll->stop();
      poll->deleteLater();
      text = box->text();
      default_button = box->defaultButton() ? box->defaultButton()->objectName() : QString();
      buttons.clear();
      for (QAbstractButton* b : box->buttons()) buttons << b->text();
      box->findChild<QPushButton*>(button)->click();
    });
    poll->start(10);
  };

  press_when_shown("CancelButton");
  EXPECT_FALSE(window.file_actions()->save());
  EXPECT_EQ(default_button, "SaveAsButton");
  EXPECT_TRUE(buttons.contains("Save As…") && buttons.contains("Overwrite")) << buttons.join(", ").toStdString();
  EXPECT_TRUE(text.contains("krita.ora") && text.contains("another program")) << text.toStdString();
  EXPECT_EQ(read_all(krita), before);

  press_when_shown("SaveAsButton");
  window.file_actions()->ask_path = [this](PathPurpose, const QString&) { return file("copy.ora"); };
  EXPECT_TRUE(window.file_actions()->save());
  EXPECT_EQ(read_all(krita), before);
  EXPECT_FALSE(doc::is_foreign_ora(file("copy.ora")));

  ASSERT_TRUE(window.file_actions()->open_path(krita));
  press_when_shown("OverwriteButton");
  EXPECT_TRUE(window.file_actions()->save());
  EXPECT_FALSE(doc::is_foreign_ora(krita));
}

}  // namespace
}  // namespace semdraw::app

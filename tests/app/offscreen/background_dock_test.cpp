// The background dock: load a picture (fitted to the canvas, or the canvas to
// it), plain white, prompts; every change undoable; bad files report an error
// and leave the document alone.
#include "app/docks/background_dock.h"

#include <gtest/gtest.h>

#include <QCheckBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUndoStack>

#include "app/commands/edit_context.h"
#include "app/main_window.h"

namespace semdraw::app {
namespace {

class BackgroundDockTest : public ::testing::Test {
 protected:
  // Left half red, right half blue.
  QString write_picture(const char* name, QSize size) {
    QImage image(size, QImage::Format_RGB888);
    image.fill(Qt::blue);
    for (int y = 0; y < size.height(); ++y)
      for (int x = 0; x < size.width() / 2; ++x) image.setPixelColor(x, y, Qt::red);
    const QString path = dir.filePath(name);
    EXPECT_TRUE(image.save(path));
    return path;
  }
  const doc::Document& document() const { return window.document(); }
  QUndoStack* stack() const { return window.undo_stack(); }

  QTemporaryDir dir;
  MainWindow window;
  BackgroundDock* dock = window.background_dock();
};

TEST_F(BackgroundDockTest, LoadingFitsThePictureToTheCanvasAndUndoes) {
  ASSERT_NE(dock, nullptr);
  QSignalSpy changed(window.edit_context(), &EditContext::background_changed);
  const QImage white_thumbnail = dock->thumbnail()->pixmap().toImage();
  ASSERT_TRUE(dock->load_background(write_picture("wide.png", QSize(200, 100))));
  EXPECT_EQ(changed.count(), 1);
  EXPECT_EQ(stack()->count(), 1);
  // 200x100 covers 512x512 as 1024x512, centred: the canvas shows its middle half.
  EXPECT_EQ(document().background().size(), QSize(512, 512));
  EXPECT_EQ(document().background().pixelColor(10, 10), QColor(Qt::red));
  EXPECT_EQ(document().background().pixelColor(500, 500), QColor(Qt::blue));
  EXPECT_EQ(document().canvas_size(), QSize(512, 512));
  EXPECT_NE(dock->thumbnail()->pixmap().toImage(), white_thumbnail);
  EXPECT_TRUE(dock->plain_white_button()->isEnabled());

  const QImage loaded = document().background();
  stack()->undo();
  EXPECT_TRUE(document().background().isNull());
  EXPECT_FALSE(dock->plain_white_button()->isEnabled());
  EXPECT_EQ(dock->thumbnail()->pixmap().toImage(), white_thumbnail);
  stack()->redo();
  EXPECT_EQ(document().background(), loaded);

  dock->plain_white_button()->click();
  EXPECT_TRUE(document().background().isNull());
  EXPECT_EQ(stack()->count(), 2);
  stack()->undo();
  EXPECT_EQ(document().background(), loaded);
}

TEST_F(BackgroundDockTest, CanvasToImageSizeIsOneUndoStepWithTheResize) {
  doc::Document* doc = window.edit_context()->document();
  doc->region(1).mask.scanLine(0)[0] = 77;
  const QImage mask = document().regions()[1].mask.copy();
  dock->match_canvas_check()->setChecked(true);
  QSignalSpy resized(window.edit_context(), &EditContext::canvas_resized);
  ASSERT_TRUE(dock->load_background(write_picture("photo.png", QSize(1003, 605))));
  EXPECT_EQ(resized.count(), 1);
  EXPECT_EQ(document().canvas_size(), QSize(1000, 600));
  EXPECT_EQ(document().background().size(), QSize(1000, 600));
  EXPECT_EQ(document().regions()[1].mask.size(), QSize(1000, 600));
  EXPECT_EQ(document().regions()[1].mask.constScanLine(44)[244], 77) << "centred extend keeps paint at scale 1";
  EXPECT_EQ(stack()->count(), 1);
  stack()->undo();
  EXPECT_EQ(document().canvas_size(), QSize(512, 512));
  EXPECT_TRUE(document().background().isNull());
  EXPECT_EQ(document().regions()[1].mask, mask);
}

TEST_F(BackgroundDockTest, PromptsAreUndoable) {
  dock->prompt_edit()->setText("a misty forest");
  emit dock->prompt_edit()->editingFinished();
  EXPECT_EQ(document().background_prompt(), "a misty forest");
  dock->negative_edit()->setText("blurry");
  emit dock->negative_edit()->editingFinished();
  EXPECT_EQ(document().background_negative_prompt(), "blurry");
  emit dock->negative_edit()->editingFinished();  // focus loss without a change
  EXPECT_EQ(stack()->count(), 2);
  stack()->undo();
  EXPECT_EQ(document().background_negative_prompt(), "");
  EXPECT_EQ(dock->negative_edit()->text(), "");
  stack()->undo();
  EXPECT_EQ(document().background_prompt(), "simple white background");
  EXPECT_EQ(dock->prompt_edit()->text(), "simple white background");
}

TEST_F(BackgroundDockTest, BadFilesGiveAnErrorAndLeaveTheDocumentAlone) {
  ASSERT_TRUE(dock->load_background(write_picture("good.png", QSize(64, 64))));
  const QImage before = document().background();
  const int steps = stack()->count();
  QSignalSpy errors(dock, &BackgroundDock::error);

  EXPECT_FALSE(dock->load_background(dir.filePath("missing.png")));
  QFile junk(dir.filePath("junk.jpg"));
  ASSERT_TRUE(junk.open(QIODevice::WriteOnly));
  junk.write("\xff\xd8 not really a JPEG");
  junk.close();
  EXPECT_FALSE(dock->load_background(junk.fileName()));

  ASSERT_EQ(errors.count(), 2);
  EXPECT_TRUE(errors[0][0].toString().contains("missing.png")) << errors[0][0].toString().toStdString();
  EXPECT_TRUE(errors[1][0].toString().contains("junk.jpg")) << errors[1][0].toString().toStdString();
  EXPECT_EQ(document().background(), before);
  EXPECT_EQ(document().canvas_size(), QSize(512, 512));
  EXPECT_EQ(stack()->count(), steps);
}

}  // namespace
}  // namespace semdraw::app

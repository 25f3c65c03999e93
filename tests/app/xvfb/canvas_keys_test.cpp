// Keys on a real X server, routed by focus the way a keyboard's are (issue 13,
// "canvas keys go to whichever field has focus"): with the pointer over the
// canvas, [ ] Space and the one-key shortcuts reach the canvas whatever field
// or button still has focus; typed text keeps committing as typed; Esc in a
// field hands focus back to the canvas; with the pointer elsewhere, keys go
// where focus is.
#include <gtest/gtest.h>

#include <QAction>
#include <QApplication>
#include <QCursor>
#include <QLineEdit>
#include <QListView>
#include <QTest>
#include <QToolBar>
#include <QUndoStack>

#include "app/canvas/canvas_view.h"
#include "app/commands/edit_context.h"
#include "app/docks/palette_dock.h"
#include "app/docks/region_editor.h"
#include "app/main_window.h"
#include "support/qt_wait.h"

namespace semdraw::app {
namespace {

class CanvasKeys : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(QGuiApplication::platformName(), "xcb");
    window.resize(1100, 700);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window, 10000));
    window.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&window, 10000));
    canvas = window.canvas();
    prompt = window.palette()->editor()->prompt_edit();
  }

  // The X pointer itself moves (QCursor::setPos warps it).
  void point_at(QWidget* widget) {
    QCursor::setPos(widget->mapToGlobal(widget->rect().center()));
    ASSERT_TRUE(test::run_until([&] { return QApplication::widgetAt(QCursor::pos()) != nullptr; }, 2000));
  }
  // A key as the keyboard sends it: to the window, delivered to the focus
  // widget, shortcuts first.
  void key(char c) { QTest::keyClick(window.windowHandle(), c); }
  void key(Qt::Key k) { QTest::keyClick(window.windowHandle(), k); }
  // Clicks into a field as the artist does, then types at its end.
  void type_into(QLineEdit* field, const QString& text) {
    point_at(field);
    QTest::mouseClick(field, Qt::LeftButton);
    ASSERT_TRUE(test::run_until([&] { return field->hasFocus(); }, 2000));
    field->end(false);
    for (const QChar c : text) key(c.toLatin1());
  }
  QString document_prompt() const {
    return window.document().regions()[static_cast<size_t>(window.edit_context()->current_region())].prompt;
  }

  MainWindow window;
  CanvasView* canvas = nullptr;
  QLineEdit* prompt = nullptr;
};

TEST_F(CanvasKeys, BracketsOverTheCanvasSizeTheBrushAfterEditingAPrompt) {
  type_into(prompt, " x");
  ASSERT_EQ(document_prompt().toStdString(), "a red eagle, wings spread x") << "typed text commits as typed";
  const double before = canvas->brush().size;
  point_at(canvas);
  for (int i = 0; i < 4; ++i) key(']');
  EXPECT_EQ(prompt->text().toStdString(), "a red eagle, wings spread x") << "the brackets went into the prompt";
  EXPECT_EQ(document_prompt().toStdString(), "a red eagle, wings spread x");
  EXPECT_GT(canvas->brush().size, before * 1.9) << "four steps of 20 % up";
  EXPECT_TRUE(canvas->hasFocus());
  key('[');
  EXPECT_LT(canvas->brush().size, before * 1.9);
}

TEST_F(CanvasKeys, ToolShortcutsOverTheCanvasWinOverAPromptField) {
  type_into(prompt, "s");
  point_at(canvas);
  key('e');
  EXPECT_EQ(canvas->active_tool()->id().toStdString(), "Eraser");
  key('f');
  EXPECT_EQ(canvas->active_tool()->id().toStdString(), "Fill");
  key('b');
  EXPECT_EQ(canvas->active_tool()->id().toStdString(), "Brush");
  EXPECT_EQ(document_prompt().toStdString(), "a red eagle, wings spreads");
}

TEST_F(CanvasKeys, SpaceDragPansWhileAnotherWidgetHasFocus) {
  // Where a dialog or a click left focus: the palette list, a tool button.
  auto* tools = window.findChild<QToolBar*>("ToolBar");
  ASSERT_NE(tools, nullptr);
  for (QWidget* focus : {static_cast<QWidget*>(window.palette()->list()),
                         tools->widgetForAction(window.findChild<QAction*>("EraserAction"))}) {
    ASSERT_NE(focus, nullptr);
    focus->setFocus();
    ASSERT_TRUE(test::run_until([&] { return focus->hasFocus(); }, 2000));
    point_at(canvas);
    const QRect before = canvas->canvas_rect();
    const int strokes = window.undo_stack()->count();
    const QPoint from = canvas->rect().center();
    QTest::keyPress(window.windowHandle(), Qt::Key_Space);
    QTest::mousePress(canvas, Qt::LeftButton, {}, from);
    QTest::mouseMove(canvas, from + QPoint(60, 40));
    QTest::mouseRelease(canvas, Qt::LeftButton, {}, from + QPoint(60, 40));
    QTest::keyRelease(window.windowHandle(), Qt::Key_Space);
    const QPoint moved = canvas->canvas_rect().topLeft() - before.topLeft();
    EXPECT_NEAR(moved.x(), 60, 1) << "Space+drag must pan";
    EXPECT_NEAR(moved.y(), 40, 1);
    EXPECT_EQ(window.undo_stack()->count(), strokes) << "Space+drag painted a stroke";
  }
}

TEST_F(CanvasKeys, EscapeLeavesATextFieldForTheCanvas) {
  type_into(prompt, "!");
  key(Qt::Key_Escape);
  EXPECT_TRUE(canvas->hasFocus());
  EXPECT_EQ(document_prompt().toStdString(), "a red eagle, wings spread!");
  EXPECT_EQ(window.undo_stack()->count(), 1);
}

TEST_F(CanvasKeys, WithThePointerElsewhereKeysStayInTheField) {
  type_into(prompt, " [x]");
  point_at(prompt);
  key('e');
  key(' ');
  EXPECT_EQ(document_prompt().toStdString(), "a red eagle, wings spread [x]e ");
  EXPECT_EQ(canvas->active_tool()->id().toStdString(), "Brush");
  EXPECT_TRUE(prompt->hasFocus());
}

}  // namespace
}  // namespace semdraw::app

// The window on a small laptop screen (issue 13, "the window cannot be
// shorter than 797 px"): its minimum size fits 1366x768 with room for a
// title bar and a task bar, the panels scroll or fold instead of cutting
// their controls off, and the tool bar keeps its width as edits come and go.
#include <gtest/gtest.h>

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QScrollArea>
#include <QScrollBar>
#include <QTest>
#include <QToolBar>
#include <QToolButton>
#include <QUndoStack>
#include <cstdio>

#include "app/canvas/canvas_view.h"
#include "app/commands/edit_context.h"
#include "app/docks/generation_dock.h"
#include "app/docks/history_strip.h"
#include "app/docks/palette_dock.h"
#include "app/docks/region_editor.h"
#include "app/main_window.h"

namespace semdraw::app {
namespace {

// 768 px less a window manager's title bar and a task bar.
constexpr QSize kLaptopRoom(1366, 700);

QMenu* menu_named(const MainWindow& window, const char* name) { return window.menuBar()->findChild<QMenu*>(name); }

TEST(WindowLayout, TheSmallestWindowFitsA1366x768Screen) {
  MainWindow window;
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  for (QDockWidget* dock : window.findChildren<QDockWidget*>())
    EXPECT_TRUE(dock->isVisible()) << qPrintable(dock->objectName());
  const QSize hint = window.minimumSizeHint();
  window.resize(400, 300);  // clamped to what the layout allows
  QApplication::processEvents();
  const QSize smallest = window.size();
  std::printf("minimumSizeHint %dx%d, smallest window %dx%d (room: %dx%d)\n", hint.width(), hint.height(),
              smallest.width(), smallest.height(), kLaptopRoom.width(), kLaptopRoom.height());
  EXPECT_LE(hint.width(), kLaptopRoom.width());
  EXPECT_LE(hint.height(), kLaptopRoom.height());
  EXPECT_LE(smallest.width(), kLaptopRoom.width());
  EXPECT_LE(smallest.height(), kLaptopRoom.height());
}

class LaptopWindow : public ::testing::Test {
 protected:
  void SetUp() override {
    window.resize(kLaptopRoom);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    QApplication::processEvents();
  }
  MainWindow window;
};

TEST_F(LaptopWindow, ThePaletteShowsSeveralRegions) {
  QListView* list = window.palette()->list();
  const int row = list->sizeHintForRow(0);
  std::printf("palette list: %d px high, rows of %d px\n", list->viewport()->height(), row);
  EXPECT_GE(list->viewport()->height(), 3 * row) << "room for at least three regions";
}

TEST_F(LaptopWindow, TheGenerationPanelNeedsNoSidewaysScrolling) {
  window.generation()->raise();
  QApplication::processEvents();
  auto* scroll = window.generation()->findChild<QScrollArea*>();
  ASSERT_NE(scroll, nullptr);
  auto* randomise = window.generation()->findChild<QToolButton*>("RandomiseSeed");
  ASSERT_NE(randomise, nullptr);
  const QRect shown = QRect(randomise->mapTo(scroll->viewport(), QPoint(0, 0)), randomise->size());
  std::printf("generation panel %d px wide, Randomise at x %d..%d\n", scroll->viewport()->width(), shown.left(),
              shown.right());
  EXPECT_FALSE(scroll->horizontalScrollBar()->isVisible());
  EXPECT_TRUE(scroll->viewport()->rect().contains(shown)) << "Randomise is cut off";
}

TEST_F(LaptopWindow, AnEmptyHistorySaysWhatWillAppearThere) {
  auto* hint = window.history()->findChild<QLabel*>("HistoryEmptyHint");
  ASSERT_NE(hint, nullptr);
  EXPECT_TRUE(hint->isVisible());
  EXPECT_FALSE(hint->text().isEmpty());
  const int canvas_height = window.canvas()->height();
  QImage frame(64, 64, QImage::Format_RGB888);
  frame.fill(Qt::gray);
  window.history()->add_frame(frame, FrameStats{}, true);
  QApplication::processEvents();
  EXPECT_FALSE(hint->isVisible()) << "the frames take its place";
  EXPECT_EQ(window.canvas()->height(), canvas_height) << "the strip grew into the canvas";
}

TEST_F(LaptopWindow, TheToolBarKeepsItsWidthAfterAnEdit) {
  auto* tools = window.findChild<QToolBar*>("ToolBar");
  ASSERT_NE(tools, nullptr);
  const int before = tools->sizeHint().width();
  QLineEdit* prompt = window.palette()->editor()->prompt_edit();
  prompt->selectAll();
  QTest::keyClicks(prompt, "a golden eagle");
  ASSERT_EQ(window.undo_stack()->count(), 1);
  QApplication::processEvents();
  auto* undo = window.findChild<QAction*>("UndoAction");
  ASSERT_NE(undo, nullptr);
  EXPECT_EQ(undo->text(), "Undo") << "the command name moves the tool bar";
  EXPECT_TRUE(undo->toolTip().contains("Change prompt")) << undo->toolTip().toStdString();
  EXPECT_EQ(tools->sizeHint().width(), before);
  window.undo_stack()->undo();
  QApplication::processEvents();
  EXPECT_EQ(window.findChild<QAction*>("RedoAction")->text(), "Redo");
  EXPECT_EQ(tools->sizeHint().width(), before);
}

TEST_F(LaptopWindow, EditViewAndHelpMenusHaveTheUsualEntries) {
  QMenu* edit = menu_named(window, "EditMenu");
  QMenu* view = menu_named(window, "ViewMenu");
  QMenu* help = menu_named(window, "HelpMenu");
  ASSERT_NE(edit, nullptr);
  ASSERT_NE(view, nullptr);
  ASSERT_NE(help, nullptr);
  EXPECT_TRUE(edit->actions().contains(window.findChild<QAction*>("UndoAction")));
  EXPECT_TRUE(edit->actions().contains(window.findChild<QAction*>("RedoAction")));
  QStringList menus;
  for (QAction* action : window.menuBar()->actions()) menus << action->text().remove('&');
  EXPECT_EQ(menus, (QStringList{"File", "Edit", "View", "Model", "Help"}));

  // View: zoom, fit, and every panel can be hidden and brought back.
  CanvasView* canvas = window.canvas();
  const double zoom = canvas->zoom();
  window.findChild<QAction*>("ZoomInAction")->trigger();
  EXPECT_GT(canvas->zoom(), zoom);
  window.findChild<QAction*>("FitCanvasAction")->trigger();
  EXPECT_EQ(canvas->zoom(), 1.0);
  auto* panels = view->findChild<QMenu*>("PanelsMenu");
  ASSERT_NE(panels, nullptr);
  QAction* history = window.history()->toggleViewAction();
  EXPECT_TRUE(panels->actions().contains(history));
  history->trigger();
  EXPECT_FALSE(window.history()->isVisible());
  history->trigger();
  EXPECT_TRUE(window.history()->isVisible());
}

}  // namespace
}  // namespace semdraw::app

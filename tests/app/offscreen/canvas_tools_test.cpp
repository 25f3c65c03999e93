// The canvas tools (issue 14): the tool registry drives the tool bar, the
// Edit menu and the option controls, and each tool works through the
// CanvasTool interface alone, without a window.
#include <gtest/gtest.h>

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QToolBar>
#include <QUndoStack>

#include "app/canvas/canvas_view.h"
#include "app/commands/edit_context.h"
#include "app/main_window.h"
#include "app/tools/brush_tool.h"
#include "app/tools/eraser_tool.h"
#include "app/tools/fill_tool.h"
#include "app/tools/tool_actions.h"

namespace semdraw::app {
namespace {

TEST(ToolRegistry, EveryToolHasAToolBarActionWithItsShortcutAndAnEditMenuEntryThatMakesItActive) {
  MainWindow window;
  CanvasView* canvas = window.canvas();
  auto* bar = window.findChild<QToolBar*>("ToolBar");
  auto* edit = window.findChild<QMenu*>("EditMenu");
  ASSERT_NE(bar, nullptr);
  ASSERT_NE(edit, nullptr);
  ASSERT_EQ(canvas->tools().size(), 3u) << "brush, eraser, fill";
  EXPECT_EQ(canvas->active_tool(), canvas->tools().front().get()) << "the registry's first tool starts active";

  QList<QAction*> expected;
  for (const auto& tool : canvas->tools()) {
    const QString name = tool_action_name(*tool);
    auto* action = window.findChild<QAction*>(name);
    ASSERT_NE(action, nullptr) << name.toStdString();
    EXPECT_EQ(action->text(), tool->name());
    EXPECT_FALSE(tool->shortcut().isEmpty()) << name.toStdString();
    EXPECT_EQ(action->shortcut(), tool->shortcut()) << name.toStdString();
    EXPECT_TRUE(edit->actions().contains(action)) << name.toStdString() << " is missing from the Edit menu";
    expected << action;
  }
  EXPECT_EQ(bar->actions().mid(0, expected.size()), expected) << "the tool bar starts with the tools, in order";
  QList<QAction*> in_menu;
  for (QAction* action : edit->actions())
    if (expected.contains(action)) in_menu << action;
  EXPECT_EQ(in_menu, expected) << "the Edit menu lists the tools in the registry's order";

  // Choosing each from last to first: each becomes the canvas's tool, alone checked.
  for (auto it = canvas->tools().rbegin(); it != canvas->tools().rend(); ++it) {
    QAction* action = window.findChild<QAction*>(tool_action_name(**it));
    action->trigger();
    EXPECT_EQ(canvas->active_tool(), it->get()) << (*it)->id().toStdString();
    for (QAction* other : expected) EXPECT_EQ(other->isChecked(), other == action);
  }
  // And the check follows the canvas when its tool is set directly.
  canvas->set_active_tool(canvas->tools().back().get());
  EXPECT_TRUE(expected.back()->isChecked());
  EXPECT_FALSE(expected.front()->isChecked());
}

TEST(ToolRegistry, AnOptionToolsShareGetsOneControlThatFollowsTheBracketKeys) {
  MainWindow window;
  CanvasView* canvas = window.canvas();
  const QList<QSpinBox*> sizes = window.findChildren<QSpinBox*>("BrushSize");
  ASSERT_EQ(sizes.size(), 1) << "the brush and the eraser share one size control";
  QSpinBox* size = sizes.front();
  EXPECT_EQ(size->value(), static_cast<int>(canvas->brush().size));
  size->setValue(40);
  EXPECT_EQ(canvas->brush().size, 40.0);
  QTest::keyClick(canvas, Qt::Key_BracketRight);
  EXPECT_GT(canvas->brush().size, 40.0);
  EXPECT_EQ(size->value(), static_cast<int>(canvas->brush().size)) << "the control shows the size the key set";
}

class ToolThroughTheInterface : public ::testing::Test {
 protected:
  void SetUp() override {
    document.add_region("Sky", "a blue sky");
    context.set_current_region(0);
    brush.size = 20;
    brush.hardness = 1.0;
    brush.opacity = 1.0;
  }
  int value(int x, int y) const { return document.regions().front().mask.constScanLine(y)[x]; }
  // Press, moves along the line, release: what the canvas sends a tool.
  static void drag(CanvasTool& tool, QPointF from, QPointF to, int segments = 8) {
    tool.press({from, 1.0});
    for (int i = 1; i <= segments; ++i) tool.move({from + (to - from) * (static_cast<double>(i) / segments), 1.0});
    tool.release({to, 1.0});
  }

  doc::Document document;
  QUndoStack stack;
  EditContext context{&document, &stack};
  BrushSettings brush;
  ToolEnvironment environment{&context, &brush};
};

TEST_F(ToolThroughTheInterface, ABrushStrokeChangesTheMaskAndLandsOneUndoCommand) {
  BrushTool tool(environment);
  QSignalSpy repaints(&context, &EditContext::mask_changed);
  drag(tool, {100, 100}, {300, 100});
  EXPECT_EQ(value(100, 100), 255) << "the first dab";
  EXPECT_EQ(value(200, 100), 255);
  EXPECT_EQ(value(200, 130), 0) << "beyond the 10 px radius";
  EXPECT_GT(repaints.count(), 0) << "the canvas is told as the stroke lands";
  ASSERT_EQ(stack.count(), 1) << "the segments merge into one step";
  EXPECT_EQ(stack.text(0).toStdString(), "Brush stroke");
  stack.undo();
  EXPECT_EQ(value(200, 100), 0);
}

TEST_F(ToolThroughTheInterface, AnEraserStrokeAfterABrushStrokeIsASecondUndoStep) {
  BrushTool brush_tool(environment);
  EraserTool eraser(environment);
  drag(brush_tool, {100, 100}, {300, 100});
  drag(eraser, {150, 100}, {250, 100});
  EXPECT_EQ(value(200, 100), 0);
  EXPECT_EQ(value(110, 100), 255);
  ASSERT_EQ(stack.count(), 2) << "the eraser's stroke merged into the brush's";
  EXPECT_EQ(stack.text(1).toStdString(), "Erase");
  stack.undo();
  EXPECT_EQ(value(200, 100), 255);
}

TEST_F(ToolThroughTheInterface, AFillClickFloodsTheRegionAsOneUndoStep) {
  FillTool tool(environment);
  drag(tool, {5.5, 5.5}, {200.5, 5.5});
  EXPECT_EQ(value(5, 5), 255);
  EXPECT_EQ(value(500, 500), 255) << "an empty canvas fills whole";
  EXPECT_EQ(stack.count(), 1) << "dragging after the click adds nothing";
  EXPECT_TRUE(tool.options().empty()) << "the fill has no options";
}

TEST_F(ToolThroughTheInterface, WithoutASelectedRegionNoToolEdits) {
  context.set_current_region(-1);
  BrushTool brush_tool(environment);
  FillTool fill(environment);
  drag(brush_tool, {100, 100}, {300, 100});
  drag(fill, {5.5, 5.5}, {5.5, 5.5});
  EXPECT_EQ(stack.count(), 0);
}

}  // namespace
}  // namespace semdraw::app

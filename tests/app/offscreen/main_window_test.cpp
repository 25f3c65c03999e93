#include "app/main_window.h"

#include <gtest/gtest.h>

#include <QAbstractItemModel>
#include <QAction>
#include <QLabel>
#include <QListView>
#include <QStatusBar>
#include <QToolBar>

#include "app/canvas/canvas_view.h"
#include "app/docks/palette_dock.h"

namespace semdraw::app {

TEST(MainWindow, HasCanvasPaletteDockToolBarAndDeviceInStatusBar) {
  MainWindow window;
  window.show();
  ASSERT_NE(window.canvas(), nullptr);
  ASSERT_NE(window.centralWidget(), nullptr);
  EXPECT_TRUE(window.centralWidget()->isAncestorOf(window.canvas()));  // under the banner bar
  ASSERT_NE(window.palette(), nullptr);
  EXPECT_EQ(window.dockWidgetArea(window.palette()), Qt::RightDockWidgetArea);
  EXPECT_TRUE(window.palette()->isVisible());
  EXPECT_EQ(window.palette()->list()->model()->rowCount(), 2);
  ASSERT_NE(window.findChild<QToolBar*>("ToolBar"), nullptr);
  EXPECT_NE(window.findChild<QAction*>("LiveAction"), nullptr);
  EXPECT_NE(window.findChild<QAction*>("GenerateAction"), nullptr);
  ASSERT_NE(window.device_label(), nullptr);
  const QString device = window.device_label()->text();
  EXPECT_TRUE(device == "CPU" || device.startsWith("GPU: ")) << device.toStdString();
  EXPECT_FALSE(window.statusBar()->currentMessage().isEmpty());
}

TEST(MainWindow, CanvasKeepsTheDocumentAspectRatio) {
  MainWindow window;
  window.resize(1000, 700);
  window.show();
  const QRect canvas = window.canvas()->canvas_rect();
  EXPECT_GT(canvas.width(), 100);
  EXPECT_NEAR(static_cast<double>(canvas.width()) / canvas.height(), 1.0, 0.02);
  EXPECT_TRUE(window.canvas()->rect().contains(canvas));
  // The starting regions have empty masks, so the canvas itself is plain white.
  const QImage shown = window.canvas()->grab().toImage();
  EXPECT_EQ(QColor(shown.pixel(canvas.center())), QColor(Qt::white));
}

}  // namespace semdraw::app

namespace semdraw::app {

TEST(MainWindow, SideBySideActionSwitchesTheCanvasView) {
  MainWindow window;
  window.show();
  auto* action = window.findChild<QAction*>("SideBySideAction");
  ASSERT_NE(action, nullptr);
  EXPECT_EQ(window.canvas()->view_mode(), CanvasView::ViewMode::Overlay);
  action->trigger();
  EXPECT_EQ(window.canvas()->view_mode(), CanvasView::ViewMode::SideBySide);
  EXPECT_NE(window.canvas()->frame_rect(), window.canvas()->canvas_rect());
  action->trigger();
  EXPECT_EQ(window.canvas()->view_mode(), CanvasView::ViewMode::Overlay);
}

}  // namespace semdraw::app

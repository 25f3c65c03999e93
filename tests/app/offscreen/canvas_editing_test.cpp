// Painting on the canvas with real (offscreen) mouse and key events: strokes,
// eraser, fill (also against a soft edge), undo/redo, brush size keys and zoom around the cursor.
#include <gtest/gtest.h>

#include <QAction>
#include <QApplication>
#include <QPointingDevice>
#include <QTabletEvent>
#include <QTest>
#include <QUndoStack>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "app/canvas/canvas_view.h"
#include "app/commands/edit_context.h"
#include "app/main_window.h"

namespace semdraw::app {
namespace {

class CanvasEditing : public ::testing::Test {
 protected:
  void SetUp() override {
    window.resize(1000, 700);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    canvas = window.canvas();
    canvas->set_brush_size(20);
    canvas->brush().hardness = 1.0;  // crisp edge: exact expectations
    canvas->brush().opacity = 1.0;
    region = window.edit_context()->current_region();
    ASSERT_GE(region, 0);
  }

  QPoint at(double x, double y) const { return canvas->canvas_to_widget(QPointF(x, y)).toPoint(); }
  const QImage& mask() const { return window.document().regions().at(static_cast<size_t>(region)).mask; }
  int value(int x, int y) const { return mask().constScanLine(y)[x]; }

  void stroke(QPointF from, QPointF to, int segments = 8) {
    QTest::mousePress(canvas, Qt::LeftButton, {}, at(from.x(), from.y()));
    for (int i = 1; i <= segments; ++i) {
      const QPointF p = from + (to - from) * (static_cast<double>(i) / segments);
      QTest::mouseMove(canvas, at(p.x(), p.y()));
    }
    QTest::mouseRelease(canvas, Qt::LeftButton, {}, at(to.x(), to.y()));
  }

  void use(const char* action) {
    auto* tool = window.findChild<QAction*>(action);
    ASSERT_NE(tool, nullptr) << action;
    tool->trigger();
  }

  MainWindow window;
  CanvasView* canvas = nullptr;
  int region = -1;
};

TEST_F(CanvasEditing, StrokePaintsTheSelectedRegionAsOneUndoStep) {
  const QImage before = mask().copy();
  stroke({100, 100}, {300, 100});
  EXPECT_EQ(value(200, 100), 255);  // stroke centre
  EXPECT_EQ(value(100, 100), 255);  // first dab
  EXPECT_EQ(value(200, 130), 0);    // beyond the 10 px radius
  EXPECT_EQ(value(450, 450), 0);    // far away
  // Other regions are untouched.
  for (int i = 0; i < static_cast<int>(window.document().regions().size()); ++i)
    if (i != region) {
      EXPECT_EQ(window.document().regions()[static_cast<size_t>(i)].mask.constScanLine(100)[200], 0);
    }
  EXPECT_EQ(window.undo_stack()->count(), 1) << "mouse-move segments must merge into one step";

  const QImage after = mask().copy();
  window.undo_stack()->undo();
  EXPECT_EQ(mask(), before) << "undo must restore the mask bitwise";
  window.undo_stack()->redo();
  EXPECT_EQ(mask(), after);

  stroke({100, 300}, {100, 400});
  EXPECT_EQ(window.undo_stack()->count(), 2) << "a second stroke is a second step";
}

TEST_F(CanvasEditing, EraserRemovesPaint) {
  stroke({100, 200}, {400, 200});
  ASSERT_EQ(value(250, 200), 255);
  use("EraserAction");
  EXPECT_EQ(canvas->active_tool()->id().toStdString(), "Eraser");
  stroke({200, 200}, {300, 200});
  EXPECT_EQ(value(250, 200), 0);
  EXPECT_EQ(value(120, 200), 255) << "outside the eraser stroke the paint stays";
  window.undo_stack()->undo();
  EXPECT_EQ(value(250, 200), 255);
}

TEST_F(CanvasEditing, FillFillsAnEnclosedAreaAndStopsAtThePaintedBoundary) {
  // A closed square outline, then fill inside it.
  stroke({100, 100}, {300, 100});
  stroke({300, 100}, {300, 300});
  stroke({300, 300}, {100, 300});
  stroke({100, 300}, {100, 100});
  const QImage outline = mask().copy();
  use("FillAction");
  QTest::mouseClick(canvas, Qt::LeftButton, {}, at(200, 200));
  EXPECT_EQ(value(200, 200), 255);
  EXPECT_EQ(value(120, 280), 255);
  EXPECT_EQ(value(50, 50), 0) << "fill leaked through the painted boundary";
  EXPECT_EQ(value(450, 200), 0);
  EXPECT_EQ(window.undo_stack()->count(), 5);
  window.undo_stack()->undo();
  EXPECT_EQ(mask(), outline);
}

TEST_F(CanvasEditing, FillInsideASoftRingLeavesNoSeamOrPaleFringe) {
  // Issue #13: against a soft brush edge the fill left a 1-px seam and a pale
  // fringe (the ring's anti-aliased pixels covered by neither region). A ring
  // of radius 80 with a soft 24 px brush: a 4.8 px core, 7.2 px of falloff.
  constexpr double kCentre = 200.0, kRing = 80.0;
  canvas->set_brush_size(24);
  canvas->brush().hardness = 0.4;
  const auto ring_point = [&](int i) {
    const double angle = 2.0 * std::numbers::pi * i / 90.0;
    return at(kCentre + kRing * std::cos(angle), kCentre + kRing * std::sin(angle));
  };
  QTest::mousePress(canvas, Qt::LeftButton, {}, ring_point(0));
  for (int i = 1; i <= 90; ++i) QTest::mouseMove(canvas, ring_point(i));
  QTest::mouseRelease(canvas, Qt::LeftButton, {}, ring_point(90));
  ASSERT_EQ(value(static_cast<int>(kCentre + kRing), static_cast<int>(kCentre)), 255) << "the ring has a core";

  const int ring = region, filler = region == 0 ? 1 : 0;
  window.edit_context()->set_current_region(filler);
  use("FillAction");
  QTest::mouseClick(canvas, Qt::LeftButton, {}, at(kCentre, kCentre));
  const auto coverage = [&](int r, int x, int y) {
    return static_cast<int>(window.document().regions().at(static_cast<size_t>(r)).mask.constScanLine(y)[x]);
  };
  // Inside the ring's centre line every pixel must be fully owned by the ring
  // (its core) or by the fill.
  int seams = 0, fringe = 0;
  std::string first;
  for (int y = 0; y < 400; ++y)
    for (int x = 0; x < 400; ++x) {
      if (std::hypot(x + 0.5 - kCentre, y + 0.5 - kCentre) > kRing - 1.0) continue;
      const int strongest = std::max(coverage(ring, x, y), coverage(filler, x, y));
      if (strongest == 255) continue;
      ++(strongest == 0 ? seams : fringe);
      if (first.empty())
        first = "(" + std::to_string(x) + "," + std::to_string(y) + ") ring " + std::to_string(coverage(ring, x, y)) +
                " fill " + std::to_string(coverage(filler, x, y));
    }
  EXPECT_EQ(seams, 0) << "pixels left white between the fill and the ring; first " << first;
  EXPECT_EQ(fringe, 0) << "pixels left partly covered (a pale fringe); first " << first;
  // The fill stops at the ring's core: nothing beyond it, nothing outside.
  EXPECT_EQ(coverage(filler, static_cast<int>(kCentre + kRing + 1), static_cast<int>(kCentre)), 0);
  EXPECT_EQ(coverage(filler, static_cast<int>(kCentre + kRing + 14), static_cast<int>(kCentre)), 0)
      << "the fill crossed the ring";
  EXPECT_EQ(coverage(filler, 20, 20), 0);
  window.undo_stack()->undo();
  EXPECT_EQ(coverage(filler, static_cast<int>(kCentre), static_cast<int>(kCentre)), 0) << "one undo step";
}

TEST_F(CanvasEditing, TabletPressureScalesSizeAndOpacity) {
  const QPointF pos = canvas->canvas_to_widget(QPointF(250.5, 250.5));
  const auto send = [&](QEvent::Type type, Qt::MouseButtons buttons) {
    QTabletEvent event(type, QPointingDevice::primaryPointingDevice(), pos, canvas->mapToGlobal(pos), 0.5, 0, 0, 0, 0,
                       0, Qt::NoModifier, Qt::LeftButton, buttons);
    QApplication::sendEvent(canvas, &event);
    EXPECT_TRUE(event.isAccepted());
  };
  send(QEvent::TabletPress, Qt::LeftButton);
  send(QEvent::TabletRelease, Qt::NoButton);
  EXPECT_EQ(value(250, 250), 128) << "half pressure, half opacity";
  EXPECT_EQ(value(257, 250), 0) << "half pressure, half the 10 px radius";
  EXPECT_EQ(window.undo_stack()->count(), 1);
}

TEST_F(CanvasEditing, ClearRegionIsUndoable) {
  stroke({100, 100}, {200, 150});
  const QImage painted = mask().copy();
  use("ClearRegionAction");
  QImage empty(mask().size(), QImage::Format_Grayscale8);
  empty.fill(0);
  EXPECT_EQ(mask(), empty);
  window.undo_stack()->undo();
  EXPECT_EQ(mask(), painted);
}

TEST_F(CanvasEditing, BracketKeysChangeTheBrushSize) {
  const double start = canvas->brush().size;
  QTest::keyClick(canvas, Qt::Key_BracketRight);
  const double bigger = canvas->brush().size;
  EXPECT_GT(bigger, start);
  QTest::keyClick(canvas, Qt::Key_BracketLeft);
  QTest::keyClick(canvas, Qt::Key_BracketLeft);
  EXPECT_LT(canvas->brush().size, start);
  for (int i = 0; i < 100; ++i) QTest::keyClick(canvas, Qt::Key_BracketLeft);
  EXPECT_EQ(canvas->brush().size, CanvasView::kMinBrushSize);
}

TEST_F(CanvasEditing, WheelZoomKeepsThePointUnderTheCursorFixed) {
  const QPointF cursor = at(130, 370);
  const QPointF under = canvas->widget_to_canvas(cursor);
  const double before_zoom = canvas->zoom();
  QWheelEvent wheel(cursor, canvas->mapToGlobal(cursor), QPoint(), QPoint(0, 240), Qt::NoButton, Qt::NoModifier,
                    Qt::NoScrollPhase, false);
  QApplication::sendEvent(canvas, &wheel);
  EXPECT_GT(canvas->zoom(), before_zoom);
  const QPointF after = canvas->widget_to_canvas(cursor);
  EXPECT_NEAR(after.x(), under.x(), 1e-6);
  EXPECT_NEAR(after.y(), under.y(), 1e-6);
  // And the mapping is consistent both ways after zooming.
  const QPointF back = canvas->canvas_to_widget(canvas->widget_to_canvas({321, 123}));
  EXPECT_NEAR(back.x(), 321, 1e-6);
  EXPECT_NEAR(back.y(), 123, 1e-6);

  // Painting after a zoom lands where the cursor is.
  canvas->brush().hardness = 1.0;
  stroke({140, 360}, {144, 360}, 2);
  EXPECT_EQ(value(142, 360), 255);
  EXPECT_EQ(value(142, 390), 0);
}

}  // namespace
}  // namespace semdraw::app

// The QPainter compositor (the offscreen platform has no OpenGL): the
// generated frame under the region overlays, the overlay toggle and opacity,
// side by side with painting on either half, and the placeholder message.
#include <gtest/gtest.h>

#include <QApplication>
#include <QTest>
#include <QWheelEvent>

#include "app/canvas/canvas_view.h"
#include "support/canvas_scene.h"

namespace semdraw::app {
namespace {

using test::CanvasScene;

class CanvasCompositing : public ::testing::Test {
 protected:
  void SetUp() override {
    scene.add_region(QColor(255, 0, 0));
    scene.fill_mask(0, QRect(100, 100, 100, 100), 255);  // a red square
    view.resize(CanvasScene::kWidget, CanvasScene::kWidget);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    view.set_overlay_opacity(0.5);
  }
  // The colour shown at a canvas point (on the regions' half side by side).
  QColor at(const QImage& shot, QPointF canvas, bool frame_half = false) const {
    QPointF widget = view.canvas_to_widget(canvas);
    if (frame_half) widget += view.frame_rect().topLeft() - view.canvas_rect().topLeft();
    return shot.pixelColor(widget.toPoint());
  }
  QImage shot() { return view.grab().toImage(); }

  CanvasScene scene;
  CanvasView view{&scene.context};
};

void expect_colour(QColor actual, QColor expected, int tolerance = 2) {
  EXPECT_NEAR(actual.red(), expected.red(), tolerance) << actual.name().toStdString();
  EXPECT_NEAR(actual.green(), expected.green(), tolerance) << actual.name().toStdString();
  EXPECT_NEAR(actual.blue(), expected.blue(), tolerance) << actual.name().toStdString();
}

TEST_F(CanvasCompositing, OffscreenUsesThePainterBackend) { EXPECT_EQ(view.backend(), CanvasBackend::Painter); }

TEST_F(CanvasCompositing, GeneratedFrameIsShownUnderTheOverlays) {
  EXPECT_EQ(view.canvas_rect(), QRect(16, 16, 512, 512));
  expect_colour(at(shot(), {50, 50}), Qt::white);  // no frame yet
  view.set_generated(test::two_tone_frame(QColor(0, 0, 255), QColor(0, 255, 0)));
  const QImage image = shot();
  expect_colour(at(image, {50, 50}), QColor(0, 0, 255));      // frame, left half
  expect_colour(at(image, {400, 50}), QColor(0, 255, 0));     // frame, right half
  expect_colour(at(image, {150, 150}), QColor(128, 0, 127));  // half red over blue
}

// A frame made before a canvas resize must not be stretched (issue 13): it
// shows at scale 1, centred on white.
TEST_F(CanvasCompositing, FramesOfAnotherSizeAreShownUnscaledInTheMiddle) {
  view.set_generated(test::two_tone_frame(QColor(0, 0, 255), QColor(0, 255, 0), 64));
  EXPECT_EQ(view.generated().size(), QSize(512, 512));
  EXPECT_EQ(view.generated().format(), QImage::Format_RGB888);
  const QImage image = shot();
  expect_colour(at(image, {50, 400}), Qt::white);
  expect_colour(at(image, {460, 256}), Qt::white);
  expect_colour(at(image, {240, 256}), QColor(0, 0, 255));  // the frame spans 224..287
  expect_colour(at(image, {272, 256}), QColor(0, 255, 0));
  view.set_generated(QImage());
  expect_colour(at(shot(), {50, 400}), Qt::white);
}

TEST_F(CanvasCompositing, OverlayToggleAndOpacity) {
  view.set_generated(test::two_tone_frame(QColor(0, 0, 255), QColor(0, 255, 0)));
  view.set_overlay_opacity(1.0);
  expect_colour(at(shot(), {150, 150}), QColor(255, 0, 0));
  view.set_overlay_opacity(0.25);
  expect_colour(at(shot(), {150, 150}), QColor(64, 0, 191));
  view.set_overlays_visible(false);
  expect_colour(at(shot(), {150, 150}), QColor(0, 0, 255));
  view.set_overlays_visible(true);
  scene.document.region(0).enabled = false;
  scene.context.notify_region_changed(0);
  expect_colour(at(shot(), {150, 150}), QColor(0, 0, 255));
}

TEST_F(CanvasCompositing, PlaceholderIsShownOnlyWithoutAFrame) {
  // The placeholder sits at the bottom of the canvas, in grey.
  const auto grey_pixels = [&] { return test::placeholder_pixels(shot(), view.frame_rect()); };
  EXPECT_EQ(view.placeholder().left(15), "No model loaded");
  EXPECT_GT(grey_pixels(), 50) << "the default message is drawn";
  view.set_placeholder("Loading model… 40%");
  EXPECT_EQ(view.placeholder(), "Loading model… 40%");
  EXPECT_GT(grey_pixels(), 20);
  view.set_generated(test::two_tone_frame(Qt::white, Qt::white));
  EXPECT_EQ(grey_pixels(), 0) << "no placeholder over a frame";
  view.set_generated(QImage());
  view.set_placeholder(QString());
  EXPECT_EQ(grey_pixels(), 0);
}

TEST_F(CanvasCompositing, SideBySideShowsRegionsLeftAndTheFrameRight) {
  view.set_generated(test::two_tone_frame(QColor(0, 0, 255), QColor(0, 255, 0)));
  view.resize(2 * CanvasScene::kWidget, CanvasScene::kWidget);
  view.set_view_mode(CanvasView::ViewMode::SideBySide);
  EXPECT_EQ(view.view_mode(), CanvasView::ViewMode::SideBySide);
  EXPECT_EQ(view.canvas_rect(), QRect(16, 16, 512, 512));
  EXPECT_EQ(view.frame_rect(), QRect(CanvasScene::kWidget + 16, 16, 512, 512));
  const QImage image = shot();
  expect_colour(at(image, {50, 50}), Qt::white);                  // regions on white
  expect_colour(at(image, {150, 150}), QColor(255, 128, 128));    // half red over white
  expect_colour(at(image, {50, 50}, true), QColor(0, 0, 255));    // the frame ...
  expect_colour(at(image, {150, 150}, true), QColor(0, 0, 255));  // ... without overlays
  view.set_overlays_visible(false);
  expect_colour(at(shot(), {150, 150}), Qt::white);
}

TEST_F(CanvasCompositing, PaintingOnEitherHalfEditsTheSameCanvasPixels) {
  view.resize(2 * CanvasScene::kWidget, CanvasScene::kWidget);
  view.set_view_mode(CanvasView::ViewMode::SideBySide);
  view.brush().hardness = 1.0;
  view.brush().opacity = 1.0;
  view.set_brush_size(20);
  const QPoint offset = view.frame_rect().topLeft() - view.canvas_rect().topLeft();
  const QPointF right = view.canvas_to_widget({300, 400}) + offset;
  EXPECT_EQ(view.widget_to_canvas(right), QPointF(300, 400));
  QTest::mousePress(&view, Qt::LeftButton, {}, right.toPoint());
  QTest::mouseRelease(&view, Qt::LeftButton, {}, right.toPoint());
  const QImage& mask = scene.document.regions()[0].mask;
  EXPECT_EQ(mask.constScanLine(400)[300], 255) << "a dab on the right half paints at the same canvas point";
  EXPECT_EQ(mask.constScanLine(430)[300], 0);
  expect_colour(at(shot(), {300, 400}), QColor(255, 128, 128));  // and shows on the left
  // Zoom with the cursor over the right half: the point under it stays put
  // and both halves keep one mapping.
  QWheelEvent wheel(right, view.mapToGlobal(right), QPoint(), QPoint(0, 240), Qt::NoButton, Qt::NoModifier,
                    Qt::NoScrollPhase, false);
  QApplication::sendEvent(&view, &wheel);
  EXPECT_GT(view.zoom(), 1.0);
  const QPointF still = view.widget_to_canvas(right);
  EXPECT_NEAR(still.x(), 300, 1e-6);
  EXPECT_NEAR(still.y(), 400, 1e-6);
  const QPointF left = view.canvas_to_widget({300, 400});
  EXPECT_NEAR(left.x() + offset.x(), right.x(), 1e-6);
  EXPECT_NEAR(left.y(), right.y(), 1e-6);
}

}  // namespace
}  // namespace semdraw::app

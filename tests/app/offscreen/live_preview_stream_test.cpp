// Live on a CPU at a canvas larger than the preview budget: the engine streams
// smaller frames (View ▸ Live Preview Size, Auto by default), the canvas and
// the document show them scaled up to the canvas, the status bar and History
// say so, and Generate still renders the full canvas.
#include <gtest/gtest.h>

#include <QAction>
#include <QLabel>
#include <QListWidget>
#include <QSettings>
#include <QTest>

#include "app/canvas/canvas_view.h"
#include "app/commands/edit_context.h"
#include "app/docks/history_strip.h"
#include "app/engine_bridge/engine_controls.h"
#include "app/engine_bridge/engine_host.h"
#include "app/engine_bridge/engine_status.h"
#include "app/main_window.h"
#include "support/qt_wait.h"
#include "support/tiny_model.h"

namespace semdraw::app {
namespace {

using semdraw::test::run_until;

// 384² is above Auto's CPU budget of 256² pixels: it streams at 256².
const QSize kCanvas(384, 384);

class LivePreviewStream : public ::testing::Test {
 protected:
  void SetUp() override {
    QSettings().remove("live/preview_size");  // Auto, whatever an earlier test chose
    window = std::make_unique<MainWindow>();
    doc::Document document(kCanvas);
    document.add_region("sky", "a blue sky");
    document.add_region("eagle", "a red eagle");
    *window->edit_context()->document() = document;
    window->edit_context()->notify_canvas_resized();
    window->edit_context()->notify_settings_changed();
    window->edit_context()->set_current_region(1);
    window->resize(1000, 700);
    window->show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(window.get()));
    controls = window->engine_controls();
    live = window->findChild<QAction*>("LiveAction");
    generate = window->findChild<QAction*>("GenerateAction");
    EngineOptions options;
    options.model = semdraw::test::tiny_model_dir().string();
    options.device = DeviceChoice::Cpu;
    controls->load_model(options);
    ASSERT_TRUE(run_until([&] { return controls->host()->has_model(); }, 120000)) << "tiny model did not load";
    // What the engine hands back, before the app scales anything.
    QObject::connect(controls->host(), &EngineHost::frame_ready, window.get(),
                     [this](const QImage& frame, const FrameStats&) { engine_frames.push_back(frame.size()); });
    QObject::connect(controls, &EngineControls::frame_shown, window.get(),
                     [this](const QImage& frame, const FrameStats&, bool rendered) {
                       (rendered ? rendered_frames : shown_frames).push_back(frame);
                     });
    const auto at = [this](double x, double y) { return window->canvas()->canvas_to_widget(QPointF(x, y)).toPoint(); };
    QTest::mousePress(window->canvas(), Qt::LeftButton, {}, at(100, 100));
    QTest::mouseMove(window->canvas(), at(250, 250));
    QTest::mouseRelease(window->canvas(), Qt::LeftButton, {}, at(250, 250));
  }

  QString live_size_text() const {
    const auto* label = window->engine_status()->findChild<QLabel*>("LiveSizeLabel");
    return label ? label->text() : QStringLiteral("(no LiveSizeLabel)");
  }

  std::unique_ptr<MainWindow> window;
  EngineControls* controls = nullptr;
  QAction* live = nullptr;
  QAction* generate = nullptr;
  std::vector<QSize> engine_frames;
  std::vector<QImage> shown_frames;
  std::vector<QImage> rendered_frames;
};

TEST_F(LivePreviewStream, StreamsAReducedSizeShownAtCanvasSizeAndGeneratesFullSize) {
  live->trigger();
  ASSERT_TRUE(live->isChecked());
  EXPECT_TRUE(live_size_text().contains("256×256")) << live_size_text().toStdString();
  ASSERT_TRUE(run_until([&] { return !shown_frames.empty(); }, 240000)) << "no live frame";
  ASSERT_FALSE(engine_frames.empty());
  EXPECT_EQ(engine_frames.front(), QSize(256, 256)) << "Auto on a CPU streams at most 256² pixels";
  EXPECT_EQ(shown_frames.front().size(), kCanvas);
  EXPECT_EQ(window->canvas()->generated().size(), kCanvas);
  EXPECT_EQ(window->document().generated().size(), kCanvas) << "files keep the canvas size";
  ASSERT_GE(window->history()->count(), 1);
  EXPECT_EQ(window->history()->list()->item(0)->text(), "preview 256×256");

  generate->trigger();
  EXPECT_FALSE(live->isChecked());
  ASSERT_TRUE(run_until([&] { return !rendered_frames.empty(); }, 240000)) << "no render";
  EXPECT_EQ(engine_frames.size(), shown_frames.size()) << "the render comes through render_finished";
  EXPECT_EQ(rendered_frames.front().size(), kCanvas);
  EXPECT_EQ(window->document().generated(), rendered_frames.front()) << "Generate renders full size";
  EXPECT_TRUE(live_size_text().isEmpty()) << live_size_text().toStdString();
  EXPECT_EQ(window->history()->list()->item(0)->text(), "render");
}

TEST_F(LivePreviewStream, FullSizeFromTheMenuStreamsTheCanvasSizeAndIsRemembered) {
  auto* full = window->findChild<QAction*>("LivePreviewFull");
  ASSERT_NE(full, nullptr) << "View ▸ Live Preview Size ▸ Full size";
  full->trigger();
  EXPECT_EQ(QSettings().value("live/preview_size").toString(), "full");
  live->trigger();
  ASSERT_TRUE(run_until([&] { return !shown_frames.empty(); }, 240000)) << "no live frame";
  EXPECT_EQ(engine_frames.front(), kCanvas);
  EXPECT_TRUE(live_size_text().isEmpty()) << live_size_text().toStdString();
  EXPECT_EQ(window->history()->list()->item(0)->text(), "live");
  // Back to Auto while streaming: the next frames come at 256².
  window->findChild<QAction*>("LivePreviewAuto")->trigger();
  const size_t before = engine_frames.size();
  ASSERT_TRUE(
      run_until([&] { return engine_frames.size() > before && engine_frames.back() == QSize(256, 256); }, 240000));
  EXPECT_EQ(window->canvas()->generated().size(), kCanvas);
  live->trigger();
  // A new window (the next start of the program) reads the choice back.
  window->findChild<QAction*>("LivePreviewHalf")->trigger();
  MainWindow next;
  auto* half = next.findChild<QAction*>("LivePreviewHalf");
  ASSERT_NE(half, nullptr);
  EXPECT_TRUE(half->isChecked());
}

}  // namespace
}  // namespace semdraw::app

// With the tiny model loaded (issue 13, small points): the "Model ready, press
// L" hint leaves the canvas once the artist paints or starts Live, and saved
// projects and exported PNGs name the model ("model", and "Model:" in the
// A1111 parameters), where they recorded "" before.
#include <gtest/gtest.h>

#include <QAction>
#include <QDir>
#include <QFile>
#include <QImageReader>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "app/canvas/canvas_view.h"
#include "app/engine_bridge/engine_controls.h"
#include "app/engine_bridge/engine_host.h"
#include "app/files/file_actions.h"
#include "app/main_window.h"
#include "app/model/model_name.h"
#include "app/offscreen/file_test_support.h"
#include "doc/ora_reader.h"
#include "doc/png_export.h"
#include "support/qt_wait.h"
#include "support/tiny_model.h"

namespace semdraw::app {
namespace {

class LoadedModel : public testing_support::FileTest {
 protected:
  void SetUp() override {
    FileTest::SetUp();
    doc::Document small(QSize(64, 64));  // the tiny model streams fast at this size
    small.add_region("eagle", "a red eagle");
    *window.edit_context()->document() = small;
    window.edit_context()->notify_canvas_resized();
    window.edit_context()->set_current_region(0);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    EngineOptions options;
    options.model = test::tiny_model_dir().string();
    options.device = DeviceChoice::Cpu;
    window.engine_controls()->load_model(options);
    ASSERT_TRUE(test::run_until([&] { return window.engine_controls()->host()->has_model(); }, 120000));
  }
  const QString& hint() const { return window.canvas()->placeholder(); }

  MainWindow window;
};

TEST_F(LoadedModel, TheReadyHintGoesOnceTheArtistPaints) {
  EXPECT_TRUE(hint().contains("Press L")) << hint().toStdString();
  const QPoint at = window.canvas()->canvas_to_widget(QPointF(32, 32)).toPoint();
  QTest::mousePress(window.canvas(), Qt::LeftButton, {}, at);
  QTest::mouseRelease(window.canvas(), Qt::LeftButton, {}, at);
  EXPECT_TRUE(hint().isEmpty()) << "still over the painting: " << hint().toStdString();
}

TEST_F(LoadedModel, TheReadyHintGoesWhenLiveStarts) {
  ASSERT_FALSE(hint().isEmpty());
  auto* live = window.findChild<QAction*>("LiveAction");
  live->trigger();
  EXPECT_TRUE(hint().isEmpty()) << hint().toStdString();
  live->trigger();
  EXPECT_TRUE(hint().isEmpty()) << "it does not come back when Live stops";
}

TEST_F(LoadedModel, ProjectsAndPngsNameTheModel) {
  const QString name = model_name(test::tiny_model_dir().string());
  EXPECT_EQ(name, "tiny-seed7");
  ASSERT_TRUE(window.file_actions()->save_to(file("named.ora")));
  doc::Document saved;
  QString why;
  ASSERT_TRUE(doc::open_ora(file("named.ora"), &saved, &why)) << why.toStdString();
  EXPECT_EQ(saved.model_reference(), name);

  QImage frame(window.document().canvas_size(), QImage::Format_RGB888);
  frame.fill(Qt::gray);
  window.edit_context()->document()->set_generated(frame);
  ASSERT_TRUE(window.file_actions()->export_png_to(file("named.png"), false));
  const QImage png = QImageReader(file("named.png")).read();
  EXPECT_TRUE(png.text(doc::kParametersChunk).contains("Model: " + name))
      << png.text(doc::kParametersChunk).toStdString();
  const QJsonObject project = QJsonDocument::fromJson(png.text(doc::kProjectChunk).toUtf8()).object();
  EXPECT_EQ(project["model"].toString(), name);
}

TEST(ModelName, SaysWhatTheArtistCallsTheModel) {
  QTemporaryDir dir;
  const QString file = dir.filePath("v1-5-pruned-emaonly.safetensors");
  QFile(file).open(QIODevice::WriteOnly);
  EXPECT_EQ(model_name(file.toStdString()), "v1-5-pruned-emaonly");
  const QString snapshot = dir.filePath("hub/models--runwayml--stable-diffusion-v1-5/snapshots/0123abcd");
  QDir().mkpath(snapshot);
  EXPECT_EQ(model_name(snapshot.toStdString()), "runwayml/stable-diffusion-v1-5");
  EXPECT_EQ(model_name((snapshot + "/").toStdString()), "runwayml/stable-diffusion-v1-5");
  EXPECT_EQ(model_name(dir.filePath("my-model").toStdString()), "my-model");
  EXPECT_EQ(model_name(""), "");
}

}  // namespace
}  // namespace semdraw::app

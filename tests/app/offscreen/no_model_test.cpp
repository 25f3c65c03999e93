// Without a model, Live (L) and Generate (Ctrl+Enter) say why nothing happens
// and how to load one, instead of doing nothing in silence (issue 13).
#include <gtest/gtest.h>

#include <QAction>
#include <QPushButton>
#include <QTest>

#include "app/canvas/canvas_view.h"
#include "app/docks/banner_bar.h"
#include "app/engine_bridge/engine_controls.h"
#include "app/engine_bridge/engine_host.h"
#include "app/main_window.h"

namespace semdraw::app {
namespace {

class NoModel : public ::testing::Test {
 protected:
  void SetUp() override {
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    window.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&window));
    ASSERT_FALSE(window.engine_controls()->host()->has_model());
    ASSERT_EQ(window.banner()->message_count(), 0);
  }
  // The banner's message says what is missing and offers to load a model.
  void expect_explained() {
    ASSERT_EQ(window.banner()->message_count(), 1) << "nothing said";
    EXPECT_TRUE(window.banner()->texts().first().contains("No model loaded"))
        << window.banner()->texts().first().toStdString();
    QWidget* row = window.banner()->findChild<QWidget*>("BannerMessage");
    ASSERT_NE(row, nullptr);
    bool offers_load = false;
    for (auto* button : row->findChildren<QPushButton*>()) offers_load |= button->text().startsWith("Load model");
    EXPECT_TRUE(offers_load);
  }
  MainWindow window;
};

TEST_F(NoModel, TheLKeySaysWhyThereIsNoLive) {
  QTest::keyClick(window.windowHandle(), Qt::Key_L);  // as the keyboard sends it, to the focused canvas
  expect_explained();
  EXPECT_FALSE(window.findChild<QAction*>("LiveAction")->isChecked());
}

TEST_F(NoModel, CtrlEnterSaysWhyThereIsNoRender) {
  QTest::keyClick(window.windowHandle(), Qt::Key_Return, Qt::ControlModifier);
  expect_explained();
  EXPECT_FALSE(window.engine_controls()->host()->rendering());
  // Asking again does not stack a second banner.
  window.findChild<QAction*>("GenerateAction")->trigger();
  EXPECT_EQ(window.banner()->message_count(), 1);
}

}  // namespace
}  // namespace semdraw::app

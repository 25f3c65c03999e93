// The non-blocking message bar: severities, stacking and queueing, actions,
// close buttons, and its place above the canvas.
#include <gtest/gtest.h>

#include <QPushButton>
#include <QTest>
#include <QToolButton>

#include "app/banner_bar.h"
#include "app/canvas_view.h"
#include "app/main_window.h"

namespace semdraw::app {
namespace {

QPushButton* button(BannerBar* bar, int id, const QString& label) {
  QWidget* row = bar->message_widget(id);
  if (!row) return nullptr;
  for (auto* b : row->findChildren<QPushButton*>("BannerAction"))
    if (b->text() == label) return b;
  return nullptr;
}

TEST(BannerBar, StacksMessagesAndQueuesTheRest) {
  QWidget host;
  BannerBar& bar = *new BannerBar(&host);
  host.show();
  EXPECT_FALSE(bar.isVisible());  // nothing to say yet
  const int info = bar.show_message(Severity::Info, "saved");
  const int warning = bar.show_message(Severity::Warning, "autosave failed");
  const int error = bar.show_message(Severity::Error, "no model");
  const int queued = bar.show_message(Severity::Error, "out of memory");
  EXPECT_TRUE(bar.isVisible());
  EXPECT_EQ(bar.shown_count(), BannerBar::kMaxVisible);
  EXPECT_EQ(bar.message_count(), 4);
  EXPECT_EQ(bar.texts(), QStringList({"saved", "autosave failed", "no model", "out of memory"}));
  EXPECT_EQ(bar.message_widget(queued), nullptr);
  EXPECT_EQ(bar.message_widget(error)->property("severity").toString(), "error");
  EXPECT_EQ(bar.message_widget(warning)->property("severity").toString(), "warning");

  // The same message again is not repeated.
  EXPECT_EQ(bar.show_message(Severity::Error, "no model"), error);
  EXPECT_EQ(bar.message_count(), 4);

  // Closing one (its close button) lets the queued one in.
  QTest::mouseClick(bar.message_widget(info)->findChild<QToolButton*>("BannerClose"), Qt::LeftButton);
  EXPECT_EQ(bar.message_widget(info), nullptr);
  ASSERT_NE(bar.message_widget(queued), nullptr);
  EXPECT_EQ(bar.message_count(), 3);
  bar.close_message(warning);
  bar.close_message(error);
  bar.close_message(queued);
  EXPECT_EQ(bar.message_count(), 0);
  EXPECT_FALSE(bar.isVisible());
}

TEST(BannerBar, ActionRunsItsCallbackAndClosesTheMessage) {
  BannerBar bar;
  bar.show();
  int recovered = 0, discarded = 0;
  const int id = bar.show_message(Severity::Warning, "recover?",
                                  {{"Recover", [&] { ++recovered; }}, {"Discard", [&] { ++discarded; }}});
  QPushButton* recover = button(&bar, id, "Recover");
  ASSERT_NE(recover, nullptr);
  ASSERT_NE(button(&bar, id, "Discard"), nullptr);
  QTest::mouseClick(recover, Qt::LeftButton);
  EXPECT_EQ(recovered, 1);
  EXPECT_EQ(discarded, 0);
  EXPECT_EQ(bar.message_count(), 0);
}

TEST(BannerBar, InfoWithoutActionsClosesByItself) {
  BannerBar bar;
  bar.set_info_timeout_ms(50);
  bar.show();
  const int info = bar.show_message(Severity::Info, "exported");
  const int error = bar.show_message(Severity::Error, "stays");
  EXPECT_TRUE(QTest::qWaitFor([&] { return bar.message_widget(info) == nullptr; }, 5000));
  EXPECT_NE(bar.message_widget(error), nullptr);
}

TEST(BannerBar, SitsAboveTheCanvasInTheMainWindow) {
  MainWindow window;
  window.resize(1000, 700);
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  BannerBar* bar = window.banner();
  ASSERT_NE(bar, nullptr);
  EXPECT_TRUE(window.centralWidget()->isAncestorOf(bar));
  const int canvas_top_before = window.canvas()->mapTo(&window, QPoint(0, 0)).y();
  bar->show_message(Severity::Error, "No model found: see README, \"Where weights go\"");
  QTest::qWait(50);
  EXPECT_TRUE(bar->isVisible());
  const int bar_bottom = bar->mapTo(&window, QPoint(0, bar->height())).y();
  const int canvas_top = window.canvas()->mapTo(&window, QPoint(0, 0)).y();
  EXPECT_LE(bar_bottom, canvas_top);  // pushes the canvas down, does not cover it
  EXPECT_GT(canvas_top, canvas_top_before);
}

}  // namespace
}  // namespace semdraw::app

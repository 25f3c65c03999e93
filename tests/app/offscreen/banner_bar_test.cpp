// The non-blocking message bar: severities, one message at a time with a queue, actions,
// close buttons, and its place above the canvas.
#include "app/docks/banner_bar.h"

#include <gtest/gtest.h>

#include <QLabel>
#include <QPushButton>
#include <QTest>
#include <QToolButton>

#include "app/canvas/canvas_view.h"
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

TEST(BannerBar, ShowsOneMessageAtATimeAndQueuesTheRest) {
  QWidget host;
  BannerBar& bar = *new BannerBar(&host);
  host.show();
  EXPECT_FALSE(bar.isVisible());  // nothing to say yet
  const int info = bar.show_message(Severity::Info, "saved");
  const int warning = bar.show_message(Severity::Warning, "autosave failed");
  const int error = bar.show_message(Severity::Error, "no model");
  const int queued = bar.show_message(Severity::Error, "out of memory");
  EXPECT_TRUE(bar.isVisible());
  EXPECT_EQ(bar.shown_count(), 1) << "messages must not stack up over the canvas";
  EXPECT_EQ(bar.message_count(), 4);
  EXPECT_EQ(bar.texts(), QStringList({"saved", "autosave failed", "no model", "out of memory"}));
  EXPECT_EQ(bar.message_widget(warning), nullptr);
  EXPECT_EQ(bar.message_widget(queued), nullptr);
  EXPECT_EQ(bar.message_widget(info)->property("severity").toString(), "info");
  EXPECT_TRUE(bar.more_label()->isVisible());
  EXPECT_EQ(bar.more_label()->text(), "3 more");

  // The same message again is not repeated.
  EXPECT_EQ(bar.show_message(Severity::Error, "no model"), error);
  EXPECT_EQ(bar.message_count(), 4);

  // Closing one (its close button) lets the next one in.
  QTest::mouseClick(bar.message_widget(info)->findChild<QToolButton*>("BannerClose"), Qt::LeftButton);
  EXPECT_EQ(bar.message_widget(info), nullptr);
  ASSERT_NE(bar.message_widget(warning), nullptr);
  EXPECT_EQ(bar.message_widget(warning)->property("severity").toString(), "warning");
  EXPECT_EQ(bar.message_count(), 3);
  EXPECT_EQ(bar.more_label()->text(), "2 more");
  bar.close_message(queued);  // a queued one can go too
  bar.close_message(warning);
  ASSERT_NE(bar.message_widget(error), nullptr);
  EXPECT_FALSE(bar.more_label()->isVisible());
  bar.close_message(error);
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
  // More errors: still one row, the canvas stays where it is.
  bar->show_message(Severity::Error, "Could not open the project: a.ora: not a zip archive");
  bar->show_message(Severity::Error, "Autosave failed: disk full");
  QTest::qWait(50);
  EXPECT_EQ(window.canvas()->mapTo(&window, QPoint(0, 0)).y(), canvas_top);
}

}  // namespace
}  // namespace semdraw::app

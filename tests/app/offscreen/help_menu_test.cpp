// Help ▸ Keyboard Shortcuts lists what the keys do, from the window's own
// actions; Help ▸ About names the app version, the model the engine has and
// the engine itself (device, LibTorch version).
#include "app/help_menu.h"

#include <gtest/gtest.h>

#include <QAction>
#include <QMessageBox>
#include <QTest>
#include <QTreeWidget>

#include "app/engine_bridge/engine_controls.h"
#include "app/engine_bridge/engine_host.h"
#include "app/main_window.h"
#include "semdraw/engine/device.h"
#include "support/qt_wait.h"
#include "support/tiny_model.h"

namespace semdraw::app {
namespace {

QString shortcuts_for(const MainWindow& window, const QString& what) {
  for (const auto& [keys, does] : shortcut_list(&window))
    if (does == what) return keys;
  return QString();
}

TEST(HelpMenu, TheShortcutListComesFromTheActionsAndTheCanvas) {
  MainWindow window;
  EXPECT_EQ(shortcuts_for(window, "Live"), "L");
  EXPECT_EQ(shortcuts_for(window, "Brush"), "B");
  EXPECT_FALSE(shortcuts_for(window, "Undo").isEmpty());
  EXPECT_FALSE(shortcuts_for(window, "Zoom In").isEmpty());
  EXPECT_TRUE(shortcuts_for(window, "Pan the canvas").startsWith("Space"));
  window.findChild<QAction*>("ShortcutsAction")->trigger();
  auto* table = window.findChild<QTreeWidget*>("ShortcutsTable");
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(table->topLevelItemCount(), static_cast<int>(shortcut_list(&window).size()));
}

TEST(HelpMenu, AboutNamesTheVersionTheModelAndTheEngine) {
  MainWindow window;
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  const std::string torch = probe_compute_device().torch_version;
  QString text = about_text(window.engine_controls()->host());
  EXPECT_TRUE(text.contains(SEMDRAW_VERSION)) << text.toStdString();
  EXPECT_TRUE(text.contains(QString::fromStdString(torch))) << text.toStdString();
  EXPECT_TRUE(text.contains("none loaded")) << text.toStdString();

  EngineOptions options;
  options.model = semdraw::test::tiny_model_dir().string();
  options.device = DeviceChoice::Cpu;
  window.engine_controls()->load_model(options);
  ASSERT_TRUE(test::run_until([&] { return window.engine_controls()->host()->has_model(); }, 120000));
  window.findChild<QAction*>("AboutAction")->trigger();
  auto* box = window.findChild<QMessageBox*>("AboutDialog");
  ASSERT_NE(box, nullptr);
  text = box->text();
  EXPECT_TRUE(text.contains(QString::fromStdString(options.model))) << text.toStdString();
  EXPECT_TRUE(text.contains("cpu, ")) << "the engine's device and precision: " << text.toStdString();
  EXPECT_TRUE(text.contains(QString::fromStdString(torch)));
}

}  // namespace
}  // namespace semdraw::app

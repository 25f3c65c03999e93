#include "app/help_menu.h"

#include <QAction>
#include <QDialog>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>

#include "app/engine_bridge/engine_host.h"
#include "semdraw/engine/device.h"

namespace semdraw::app {

std::vector<std::pair<QString, QString>> shortcut_list(const QWidget* window) {
  std::vector<std::pair<QString, QString>> rows;
  for (const QAction* action : window->findChildren<QAction*>()) {
    if (action->shortcuts().isEmpty() || action->text().isEmpty()) continue;
    QStringList keys;
    for (const QKeySequence& key : action->shortcuts()) keys << key.toString(QKeySequence::NativeText);
    QString text = action->text();
    text.remove('&');
    rows.emplace_back(keys.join(QStringLiteral(", ")), text);
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  // What the canvas does itself, with the pointer over it (CanvasKeyRouter).
  const std::pair<const char*, const char*> canvas[] = {
      {"[  ]", QT_TR_NOOP("Brush smaller / larger (pointer over the canvas)")},
      {"Space + drag", QT_TR_NOOP("Pan the canvas")},
      {"Middle button drag", QT_TR_NOOP("Pan the canvas")},
      {"Wheel", QT_TR_NOOP("Zoom around the pointer")},
      {"Esc", QT_TR_NOOP("Leave a text field, back to the canvas")},
  };
  for (const auto& [keys, what] : canvas) rows.emplace_back(QString::fromUtf8(keys), HelpMenu::tr(what));
  return rows;
}

QString about_text(const EngineHost* host) {
  const ComputeDevice device = probe_compute_device();
  QStringList lines;
  lines << HelpMenu::tr("SemanticDraw %1").arg(QStringLiteral(SEMDRAW_VERSION));
  lines << HelpMenu::tr("Paint regions with text prompts; a diffusion engine streams the picture.");
  lines << QString();
  if (host->has_model()) {
    lines << HelpMenu::tr("Model: %1").arg(QString::fromStdString(host->model_options().model));
    lines << HelpMenu::tr("Engine: %1").arg(host->device_name());
  } else {
    lines << HelpMenu::tr("Model: none loaded (Model ▸ Load model…)");
  }
  lines << HelpMenu::tr("Device: %1").arg(QString::fromStdString(device.name));
  if (!device.note.empty()) lines << QString::fromStdString(device.note);
  lines << HelpMenu::tr("LibTorch %1, Qt %2").arg(QString::fromStdString(device.torch_version), qVersion());
  return lines.join('\n');
}

HelpMenu::HelpMenu(QWidget* window, const EngineHost* host, QMenuBar* bar)
    : QObject(window), window_(window), host_(host) {
  QMenu* menu = bar->addMenu(tr("&Help"));
  menu->setObjectName("HelpMenu");
  QAction* keys = menu->addAction(tr("&Keyboard Shortcuts"), this, &HelpMenu::show_shortcuts);
  keys->setObjectName("ShortcutsAction");
  keys->setShortcut(QKeySequence::HelpContents);
  QAction* about = menu->addAction(tr("&About SemanticDraw"), this, &HelpMenu::show_about);
  about->setObjectName("AboutAction");
  about->setMenuRole(QAction::AboutRole);
}

void HelpMenu::show_shortcuts() {
  auto* dialog = new QDialog(window_);
  dialog->setObjectName("ShortcutsDialog");
  dialog->setWindowTitle(tr("Keyboard shortcuts"));
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  auto* table = new QTreeWidget(dialog);
  table->setObjectName("ShortcutsTable");
  table->setHeaderLabels({tr("Keys"), tr("Does")});
  table->setRootIsDecorated(false);
  for (const auto& [keys, what] : shortcut_list(window_)) new QTreeWidgetItem(table, {keys, what});
  table->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
  connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
  auto* layout = new QVBoxLayout(dialog);
  layout->addWidget(table);
  layout->addWidget(buttons);
  dialog->resize(520, 480);
  dialog->show();
}

void HelpMenu::show_about() {
  auto* box = new QMessageBox(QMessageBox::Information, tr("About SemanticDraw"), about_text(host_), QMessageBox::Close,
                              window_);
  box->setObjectName("AboutDialog");
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->setTextInteractionFlags(Qt::TextSelectableByMouse);
  box->open();
}

}  // namespace semdraw::app

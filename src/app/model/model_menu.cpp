#include "app/model/model_menu.h"

#include <QMenu>
#include <QMenuBar>
#include <QSettings>

#include "app/engine_bridge/engine_controls.h"
#include "app/engine_bridge/engine_host.h"
#include "app/model/model_chooser.h"
#include "app/model/model_settings.h"

namespace semdraw::app {

ModelMenu::ModelMenu(EngineControls* controls, QMenuBar* bar, QWidget* dialog_parent)
    : QObject(controls), controls_(controls), dialog_parent_(dialog_parent) {
  menu_ = bar->addMenu(tr("&Model"));
  menu_->setObjectName("ModelMenu");
  QAction* load = menu_->addAction(tr("Load model…"), this, &ModelMenu::choose);
  load->setObjectName("LoadModelAction");
  load->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
  recent_ = menu_->addMenu(tr("Recent models"));
  QAction* cancel = menu_->addAction(tr("Cancel loading"), controls_->host(), &EngineHost::cancel_load);
  cancel->setObjectName("CancelLoadAction");
  connect(menu_, &QMenu::aboutToShow, this, [this, cancel] { cancel->setEnabled(controls_->host()->loading()); });
  connect(controls_, &EngineControls::model_loaded, this, [this](const EngineOptions& options) {
    QSettings settings;
    remember_model(settings, options);
    rebuild_recent();
  });
  rebuild_recent();
}

void ModelMenu::choose() {
  QSettings settings;
  ModelChooser chooser(recent_models(settings), models_dir(), dialog_parent_);
  if (auto last = last_model(settings)) chooser.set_options(*last);
  if (chooser.exec() != QDialog::Accepted) return;
  const EngineOptions options = chooser.options();
  if (options.model.empty()) return;
  controls_->load_model(with_bundled_resources(options));
}

void ModelMenu::rebuild_recent() {
  recent_->clear();
  QSettings settings;
  const QStringList recent = recent_models(settings);
  recent_->setEnabled(!recent.isEmpty());
  for (const QString& path : recent) {
    recent_->addAction(path, this, [this, path] {
      QSettings settings;
      // The last model comes back with its LoRAs and TAESD; others bare.
      std::optional<EngineOptions> options = last_model(settings);
      if (!options || options->model != path.toStdString()) {
        options = EngineOptions{};
        options->model = path.toStdString();
        options = with_bundled_resources(*options);
      }
      controls_->load_model(*options);
    });
  }
}

}  // namespace semdraw::app

#include "app/files/file_actions.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLocale>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QUndoStack>
#include <algorithm>
#include <cstdlib>

#include "app/commands/document_commands.h"
#include "app/commands/edit_context.h"
#include "app/commands/region_commands.h"
#include "app/docks/background_dock.h"
#include "app/docks/banner_bar.h"
#include "app/docks/history_strip.h"
#include "doc/image_io.h"
#include "doc/ora_reader.h"
#include "doc/ora_writer.h"
#include "doc/palette_json.h"
#include "doc/png_export.h"
#include "semdraw/fileio/temporaries.h"

namespace semdraw::app {

namespace {

constexpr int kStatusMs = 4000;
constexpr const char* kRecentKey = "recent_files";

struct PurposeInfo {
  const char* title;
  const char* filter;
  const char* suffix;  // appended to a saved name without one; null = an open dialog
};

// Temporary files that a crash or a kill left beside the user's projects
// (semdraw/fileio/temporaries.h): the folders of the recent projects. Each
// later write cleans its own folder too; the recovery folder is cleaned by
// Autosaver::find_orphans.
void remove_stale_temporaries_beside(const QStringList& files) {
  QStringList folders;
  for (const QString& file : files) {
    const QString folder = QFileInfo(file).absolutePath();
    if (!folders.contains(folder)) folders << folder;
  }
  for (const QString& folder : folders) fileio::remove_stale_temporaries(QFile::encodeName(folder).toStdString());
}

PurposeInfo info_of(PathPurpose purpose) {
  switch (purpose) {
    case PathPurpose::OpenProject:
      return {QT_TR_NOOP("Open Project"), QT_TR_NOOP("OpenRaster projects (*.ora)"), nullptr};
    case PathPurpose::SaveProject:
      return {QT_TR_NOOP("Save Project"), QT_TR_NOOP("OpenRaster projects (*.ora)"), "ora"};
    case PathPurpose::ExportPng: return {QT_TR_NOOP("Export PNG"), QT_TR_NOOP("PNG images (*.png)"), "png"};
    case PathPurpose::ImportPalette:
      return {QT_TR_NOOP("Import Palette"), QT_TR_NOOP("Palettes (*.json);;All files (*)"), nullptr};
    case PathPurpose::ExportPalette: return {QT_TR_NOOP("Export Palette"), QT_TR_NOOP("Palettes (*.json)"), "json"};
    case PathPurpose::LoadBackground:
      return {QT_TR_NOOP("Load Background Image"),
              QT_TR_NOOP("Images (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff *.exr);;All files (*)"), nullptr};
  }
  return {"", "", nullptr};
}

}  // namespace

FileActions::FileActions(QMainWindow* window, EditContext* context, BannerBar* banner)
    : QObject(window),
      window_(window),
      context_(context),
      banner_(banner),
      autosaver_(new Autosaver(context->document(), this)),
      initial_(*context->document()) {
  setObjectName("FileActions");
  ask_save_changes = [this](const QString& name) { return default_ask_save_changes(name); };
  ask_path = [this](PathPurpose purpose, const QString& start) { return default_ask_path(purpose, start); };
  ask_overwrite_foreign = [this](const QString& name, const QString& what) {
    return default_ask_overwrite_foreign(name, what);
  };

  QUndoStack* stack = context_->stack();
  connect(stack, &QUndoStack::cleanChanged, this, [this](bool clean) {
    window_->setWindowModified(!clean);
    if (clean) autosaver_->discard();  // back at the saved state: nothing to recover
  });
  // Every change: commands done or undone, and live strokes as they paint.
  const auto changed = [this] {
    if (is_modified()) autosaver_->schedule();
  };
  connect(stack, &QUndoStack::indexChanged, this, changed);
  connect(context_, &EditContext::mask_changed, this, changed);
  connect(autosaver_, &Autosaver::failed, this, [this](const QString& text) {
    banner_->show_message(Severity::Warning, tr("Autosave failed: %1").arg(text));
  });

  build_menu();
  update_title();
  remove_stale_temporaries_beside(recent_files());
  offer_recovery();
}

FileActions::~FileActions() = default;

QString FileActions::display_name() const { return path_.isEmpty() ? tr("Untitled") : QFileInfo(path_).fileName(); }

bool FileActions::is_modified() const { return !context_->stack()->isClean(); }

QAction* FileActions::add_action(const QString& text, const char* name, const QKeySequence& shortcut,
                                 std::function<void()> slot) {
  QAction* action = menu_->addAction(text);
  action->setObjectName(name);
  action->setShortcut(shortcut);
  connect(action, &QAction::triggered, this, [slot = std::move(slot)] { slot(); });
  return action;
}

void FileActions::build_menu() {
  QMenuBar* bar = window_->menuBar();
  menu_ = bar->findChild<QMenu*>("FileMenu");
  if (!menu_) {
    menu_ = new QMenu(tr("&File"), window_);
    menu_->setObjectName("FileMenu");
    bar->insertMenu(bar->actions().value(0), menu_);
  }
  const QKeySequence none;
  add_action(tr("&New"), "NewAction", QKeySequence(Qt::CTRL | Qt::Key_N), [this] { new_requested(); });
  add_action(tr("&Open…"), "OpenAction", QKeySequence(Qt::CTRL | Qt::Key_O), [this] { open(); });
  recent_menu_ = menu_->addMenu(tr("Open &Recent"));
  recent_menu_->setObjectName("RecentMenu");
  rebuild_recent_menu();
  menu_->addSeparator();
  add_action(tr("&Save"), "SaveAction", QKeySequence(Qt::CTRL | Qt::Key_S), [this] { save(); });
  add_action(tr("Save &As…"), "SaveAsAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), [this] { save_as(); });
  menu_->addSeparator();
  add_action(tr("&Export PNG…"), "ExportPngAction", QKeySequence(Qt::CTRL | Qt::Key_E), [this] { export_png(false); });
  add_action(tr("Export PNG with Region &Overlay…"), "ExportPngOverlayAction",
             QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), [this] { export_png(true); });
  menu_->addSeparator();
  add_action(tr("&Import Palette…"), "ImportPaletteAction", none, [this] { import_palette(); });
  add_action(tr("E&xport Palette…"), "ExportPaletteAction", none, [this] { export_palette(); });
  menu_->addSeparator();
  add_action(tr("Load &Background Image…"), "LoadBackgroundAction", none, [this] { load_background(); });
  add_action(tr("Plain &White Background"), "ClearBackgroundAction", none, [this] { clear_background(); });
  menu_->addSeparator();
  add_action(tr("&Quit"), "QuitAction", QKeySequence(Qt::CTRL | Qt::Key_Q), [this] { window_->close(); });
}

QStringList FileActions::recent_files() { return QSettings().value(kRecentKey).toStringList(); }

void FileActions::clear_recent_files() { QSettings().remove(kRecentKey); }

void FileActions::remember(const QString& path) {
  QStringList recent = recent_files();
  recent.removeAll(path);
  recent.prepend(path);
  while (recent.size() > kMaxRecent) recent.removeLast();
  QSettings().setValue(kRecentKey, recent);
  rebuild_recent_menu();
}

void FileActions::rebuild_recent_menu() {
  // Not clear(): this may run from one of these actions' own triggered().
  for (QAction* old : recent_menu_->actions()) {
    recent_menu_->removeAction(old);
    old->deleteLater();
  }
  const QStringList recent = recent_files();
  for (int i = 0; i < recent.size(); ++i) {
    const QString& path = recent[i];
    QAction* action =
        recent_menu_->addAction(QStringLiteral("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName().replace('&', "&&")));
    action->setToolTip(QDir::toNativeSeparators(path));
    action->setStatusTip(action->toolTip());
    connect(action, &QAction::triggered, this, [this, path] {
      if (!confirm_discard() || open_path(path)) return;
      // Gone or broken: off the list (the banner says why).
      QStringList left = recent_files();
      left.removeAll(path);
      QSettings().setValue(kRecentKey, left);
      rebuild_recent_menu();
    });
  }
  recent_menu_->setEnabled(!recent.isEmpty());
}

void FileActions::update_title() {
  window_->setWindowTitle(tr("%1[*] — SemanticDraw").arg(display_name()));
  window_->setWindowModified(is_modified());
}

void FileActions::set_path(const QString& path) {
  path_ = path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath();
  autosaver_->set_original_path(path_);
}

void FileActions::error(const QString& text) { banner_->show_message(Severity::Error, text); }

void FileActions::replace_document(doc::Document document, const QString& path, bool modified) {
  QUndoStack* stack = context_->stack();
  stack->clear();  // its commands point into the old document
  *context_->document() = std::move(document);
  set_path(path);
  context_->notify_regions_reset();
  context_->notify_background_changed();
  context_->set_current_region(static_cast<int>(context_->document()->regions().size()) - 1);
  if (modified) stack->resetClean();  // never clean until saved
  if (history_) history_->set_kept_frames(context_->document()->kept_frames());
  update_title();
  emit document_replaced();
}

void FileActions::set_history_strip(HistoryStrip* strip) {
  history_ = strip;
  history_->set_kept_frames(context_->document()->kept_frames());
  connect(history_, &HistoryStrip::kept_changed, this, &FileActions::kept_frames_changed);
}

// Keeping is not an undoable edit (the strip is not part of the undo
// history), but it changes what the project holds: modified until saved,
// autosaved like any other change.
void FileActions::kept_frames_changed() {
  context_->document()->set_kept_frames(history_->kept_frames());
  context_->stack()->resetClean();
  update_title();
  autosaver_->schedule();
}

// ---- the work, without dialogs ----

void FileActions::new_document() { replace_document(initial_, QString(), false); }

bool FileActions::open_path(const QString& path) {
  doc::Document loaded;
  QString why;
  QStringList notes;
  if (!doc::open_ora(path, &loaded, &why, &notes)) {
    error(tr("Could not open the project: %1").arg(why));
    return false;
  }
  replace_document(std::move(loaded), path, false);
  remember(path_);
  if (!notes.isEmpty()) banner_->show_message(Severity::Info, notes.join('\n'));
  window_->statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(path_)), kStatusMs);
  return true;
}

bool FileActions::save_to(const QString& path) {
  context_->commit_pending_edits();  // a step list or seed typed without Enter
  QString why;
  if (!doc::save_ora(*context_->document(), path, &why)) {
    error(tr("Could not save the project: %1").arg(why));
    return false;
  }
  set_path(path);
  context_->stack()->setClean();
  autosaver_->discard();
  update_title();
  remember(path_);
  window_->statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path_)), kStatusMs);
  return true;
}

bool FileActions::export_png_to(const QString& path, bool with_overlay) {
  context_->commit_pending_edits();
  const doc::Document& document = *context_->document();
  if (document.generated().isNull()) {
    banner_->show_message(Severity::Info,
                          tr("Nothing to export yet: there is no generated image. Use Generate or Live first."));
    return false;
  }
  QString why;
  if (!doc::export_png(document, path, with_overlay, &why)) {
    error(tr("Could not export the PNG: %1").arg(why));
    return false;
  }
  window_->statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), kStatusMs);
  return true;
}

bool FileActions::import_palette_from(const QString& path) {
  doc::Palette palette;
  QString why;
  if (!doc::read_palette(path, &palette, &why)) {
    error(tr("Could not import the palette: %1").arg(why));
    return false;
  }
  // Applied to a copy first (masks are shared, so it is cheap) to learn the
  // colours the new regions get; then the same edit as undoable commands.
  doc::Document preview = *context_->document();
  const size_t first_new = preview.regions().size();
  doc::apply_palette(palette, &preview);
  QUndoStack* stack = context_->stack();
  stack->beginMacro(tr("Import palette %1").arg(QFileInfo(path).fileName()));
  stack->push(new SetBackgroundPromptsCommand(
      context_, {preview.background_prompt(), preview.background_negative_prompt(), preview.seed()},
      tr("Background prompts")));
  for (size_t i = first_new; i < preview.regions().size(); ++i)
    stack->push(new AddRegionCommand(context_, preview.regions()[i]));
  stack->endMacro();
  return true;
}

bool FileActions::export_palette_to(const QString& path) {
  context_->commit_pending_edits();
  QString why;
  if (!doc::write_palette(doc::palette_of(*context_->document()), path, &why)) {
    error(tr("Could not export the palette: %1").arg(why));
    return false;
  }
  window_->statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), kStatusMs);
  return true;
}

// The background dock owns loading pictures (with its "canvas to image size"
// choice); the File menu entries are another way to reach it.
bool FileActions::load_background_from(const QString& path) {
  return background_dock_ && background_dock_->load_background(path);
}

void FileActions::clear_background() {
  if (background_dock_) background_dock_->set_plain_white();
}

bool FileActions::recover(const RecoveryEntry& entry) {
  doc::Document loaded;
  QString why;
  if (!doc::open_ora(entry.ora_path, &loaded, &why)) {
    error(tr("Could not recover the autosaved work: %1 (the file is kept.)").arg(why));
    return false;
  }
  replace_document(std::move(loaded), entry.original_path, true);
  autosaver_->adopt(entry);
  window_->statusBar()->showMessage(tr("Recovered %1 — save it to keep it").arg(display_name()), kStatusMs);
  return true;
}

void FileActions::offer_recovery() {
  for (const RecoveryEntry& entry : Autosaver::find_orphans()) offer_recovery(entry);
}

void FileActions::offer_recovery(const RecoveryEntry& entry) {
  const QString name = entry.original_path.isEmpty()
                           ? tr("an untitled document")
                           : QStringLiteral("“%1”").arg(QFileInfo(entry.original_path).fileName());
  const QString when = QLocale().toString(entry.time.toLocalTime(), QLocale::ShortFormat);
  banner_->show_message(
      Severity::Warning,
      tr("SemanticDraw did not close normally. Unsaved work on %1, autosaved %2, can be recovered.").arg(name, when),
      {{tr("Recover"),
        [this, entry] {
          // Changes kept (Cancel), or the file cannot be read: still on offer.
          if (!confirm_discard() || !recover(entry)) offer_recovery(entry);
        }},
       {tr("Discard"), [entry] { Autosaver::remove_entry(entry); }}});
}

// ---- the actions: prompts, then the work ----

bool FileActions::confirm_discard() {
  context_->commit_pending_edits();  // typed but not entered is a change too
  if (!is_modified()) return true;
  switch (ask_save_changes(display_name())) {
    case SaveChoice::Save: return save();
    case SaveChoice::Discard: return true;
    case SaveChoice::Cancel: return false;
  }
  return false;
}

bool FileActions::close_requested() {
  if (!confirm_discard()) return false;
  autosaver_->discard();
  return true;
}

QString FileActions::suggestion(PathPurpose purpose) const {
  const QString folder = path_.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::PicturesLocation)
                                         : QFileInfo(path_).absolutePath();
  const QString base = path_.isEmpty() ? tr("Untitled") : QFileInfo(path_).completeBaseName();
  switch (purpose) {
    case PathPurpose::SaveProject: return folder + '/' + base + ".ora";
    case PathPurpose::ExportPng: return folder + '/' + base + ".png";
    case PathPurpose::ExportPalette: return folder + '/' + base + "-palette.json";
    default: return folder;
  }
}

namespace {
// The hook's answer, with the purpose's suffix when a saved name has none.
QString asked(const FileActions& files, PathPurpose purpose, const QString& start) {
  QString path = files.ask_path(purpose, start);
  const char* suffix = info_of(purpose).suffix;
  if (!path.isEmpty() && suffix && QFileInfo(path).suffix().isEmpty()) path += '.' + QString(suffix);
  return path;
}
}  // namespace

void FileActions::new_requested() {
  if (confirm_discard()) new_document();
}

bool FileActions::open() {
  if (!confirm_discard()) return false;
  const QString path = asked(*this, PathPurpose::OpenProject, suggestion(PathPurpose::OpenProject));
  return !path.isEmpty() && open_path(path);
}

bool FileActions::save() { return path_.isEmpty() ? save_as() : save_checked(path_); }

bool FileActions::save_as() {
  const QString path = asked(*this, PathPurpose::SaveProject, suggestion(PathPurpose::SaveProject));
  return !path.isEmpty() && save_checked(path);
}

bool FileActions::save_checked(const QString& path) {
  const QString change = foreign_file_change(path);
  if (!change.isEmpty()) {
    switch (ask_overwrite_foreign(QFileInfo(path).fileName(), change)) {
      case ForeignSaveChoice::SaveAs: return save_as();
      case ForeignSaveChoice::Cancel: return false;
      case ForeignSaveChoice::Overwrite: break;
    }
  }
  return save_to(path);
}

QString FileActions::foreign_file_change(const QString& path) const {
  int layers = 0;
  if (!doc::is_foreign_ora(path, &layers)) return {};
  const doc::Document& d = *context_->document();
  const int regions = static_cast<int>(d.regions().size());
  QStringList becomes;
  becomes << (regions == 1 ? tr("1 region (a flat colour in its shape)")
                           : tr("%1 regions (each a flat colour in its shape)").arg(regions));
  if (!d.background().isNull()) becomes << tr("the background picture");
  if (!d.generated().isNull()) becomes << tr("the generated image");
  const QString list =
      becomes.size() == 1
          ? becomes[0]
          : tr("%1 and %2")
                .arg(QStringList(becomes.mid(0, becomes.size() - 1)).join(QStringLiteral(", ")), becomes.last());
  return tr("“%1” was made by another program. Saving rewrites it as a SemanticDraw project: its %2 become %3. "
            "The layers' own pixels, blend modes, groups and whatever else that program stored are not kept.")
      .arg(QFileInfo(path).fileName(), layers == 1 ? tr("1 layer") : tr("%1 layers").arg(layers), list);
}

void FileActions::export_png(bool with_overlay) {
  if (context_->document()->generated().isNull()) {
    export_png_to(QString(), with_overlay);  // says there is nothing yet
    return;
  }
  const QString path = asked(*this, PathPurpose::ExportPng, suggestion(PathPurpose::ExportPng));
  if (!path.isEmpty()) export_png_to(path, with_overlay);
}

void FileActions::import_palette() {
  const QString path = asked(*this, PathPurpose::ImportPalette, suggestion(PathPurpose::ImportPalette));
  if (!path.isEmpty()) import_palette_from(path);
}

void FileActions::export_palette() {
  const QString path = asked(*this, PathPurpose::ExportPalette, suggestion(PathPurpose::ExportPalette));
  if (!path.isEmpty()) export_palette_to(path);
}

void FileActions::load_background() {
  const QString path = asked(*this, PathPurpose::LoadBackground, suggestion(PathPurpose::LoadBackground));
  if (!path.isEmpty()) load_background_from(path);
}

QString FileActions::default_ask_path(PathPurpose purpose, const QString& start) {
  const PurposeInfo info = info_of(purpose);
  return info.suffix ? QFileDialog::getSaveFileName(window_, tr(info.title), start, tr(info.filter))
                     : QFileDialog::getOpenFileName(window_, tr(info.title), start, tr(info.filter));
}

ForeignSaveChoice FileActions::default_ask_overwrite_foreign(const QString& file_name, const QString& what_changes) {
  QMessageBox box(QMessageBox::Warning, tr("Save over “%1”?").arg(file_name), what_changes, QMessageBox::NoButton,
                  window_);
  box.setObjectName("ForeignFileDialog");
  box.setInformativeText(tr("Save As… keeps that file as it is and saves the project under a new name."));
  QPushButton* save_as_button = box.addButton(tr("Save As…"), QMessageBox::AcceptRole);
  save_as_button->setObjectName("SaveAsButton");
  QPushButton* overwrite = box.addButton(tr("Overwrite"), QMessageBox::DestructiveRole);
  overwrite->setObjectName("OverwriteButton");
  box.addButton(QMessageBox::Cancel)->setObjectName("CancelButton");
  box.setDefaultButton(save_as_button);
  box.exec();
  if (box.clickedButton() == save_as_button) return ForeignSaveChoice::SaveAs;
  if (box.clickedButton() == overwrite) return ForeignSaveChoice::Overwrite;
  return ForeignSaveChoice::Cancel;
}

SaveChoice FileActions::default_ask_save_changes(const QString& name) {
  QMessageBox box(QMessageBox::Warning, tr("Unsaved changes"),
                  tr("“%1” has unsaved changes. Save them first?").arg(name),
                  QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, window_);
  box.setDefaultButton(QMessageBox::Save);
  switch (box.exec()) {
    case QMessageBox::Save: return SaveChoice::Save;
    case QMessageBox::Discard: return SaveChoice::Discard;
    default: return SaveChoice::Cancel;
  }
}

}  // namespace semdraw::app

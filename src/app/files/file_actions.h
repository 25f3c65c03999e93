#pragma once
// The File menu and everything behind it: new/open/save (.ora), PNG export,
// palette import/export, the background picture, the modified marker in the
// title, the "save changes?" prompt, autosave and crash recovery. Errors go
// to the banner bar, never to a modal box.
//
// Every action is a thin dialog wrapper around a method that takes a path
// (open_path, save_to, ...), and both prompts are replaceable hooks, so tests
// drive the whole thing without dialogs.
#include <QObject>
#include <QString>
#include <functional>

#include "app/files/autosave.h"

class QAction;
class QMainWindow;
class QMenu;

namespace semdraw::app {

class BannerBar;
class EditContext;

enum class SaveChoice { Save, Discard, Cancel };
// Saving over an .ora another program wrote: pick a new name (the default),
// rewrite it as our project anyway, or do nothing.
enum class ForeignSaveChoice { SaveAs, Overwrite, Cancel };
enum class PathPurpose { OpenProject, SaveProject, ExportPng, ImportPalette, ExportPalette, LoadBackground };

class BackgroundDock;
class HistoryStrip;
class FileActions : public QObject {
  Q_OBJECT
 public:
  // Adds a File menu to the window's menu bar (or fills the one named
  // "FileMenu"), titles the window, starts autosave and offers recovery of
  // any crashed session's work in the banner.
  FileActions(QMainWindow* window, EditContext* context, BannerBar* banner);
  ~FileActions() override;

  // "Save changes to <name>?" (default: a message box).
  std::function<SaveChoice(const QString& document_name)> ask_save_changes;
  // A file name for `purpose`, starting from `suggestion`; empty = cancelled
  // (default: a file dialog).
  std::function<QString(PathPurpose purpose, const QString& suggestion)> ask_path;
  // Save or Save As onto an .ora another program wrote (Krita, GIMP ...):
  // `what_changes` says what saving would do to it (default: a message box
  // with Save As… (default), Overwrite and Cancel).
  std::function<ForeignSaveChoice(const QString& file_name, const QString& what_changes)> ask_overwrite_foreign;

  // Where the document lives; empty until it is saved or opened.
  const QString& path() const { return path_; }
  // "name.ora", or "Untitled".
  QString display_name() const;
  bool is_modified() const;
  Autosaver* autosaver() const { return autosaver_; }
  QMenu* menu() const { return menu_; }

  // Recently opened or saved projects, newest first (QSettings "recent_files").
  static constexpr int kMaxRecent = 8;
  static QStringList recent_files();
  static void clear_recent_files();
  QMenu* recent_menu() const { return recent_menu_; }

  // The work behind the actions, without dialogs. False on failure, with the
  // error (naming the file) shown in the banner. Saving, exporting and
  // confirm_discard() first commit what the panels show but have not yet put
  // in the document (EditContext::commit_pending_edits).
  void new_document();  // no prompt: see confirm_discard()
  bool open_path(const QString& path);
  bool save_to(const QString& path);
  bool export_png_to(const QString& path, bool with_overlay);
  bool import_palette_from(const QString& path);
  bool export_palette_to(const QString& path);
  // Through the background dock (set_background_dock); false on failure,
  // which the dock reports through its error signal.
  bool load_background_from(const QString& path);
  void set_background_dock(BackgroundDock* dock) { background_dock_ = dock; }
  // The History strip whose kept frames belong to the document: keeping or
  // un-keeping one is a change to save, and an opened project's kept frames
  // go back into it.
  void set_history_strip(HistoryStrip* strip);
  void clear_background();
  // Loads a crashed session's work as a modified document that keeps its
  // original path; the recovery files become this session's.
  bool recover(const RecoveryEntry& entry);

  // The actions: ask (changes, then a path), then do the above. Save and
  // Save As onto another program's .ora ask first (ask_overwrite_foreign).
  void new_requested();
  bool open();
  bool save();
  bool save_as();
  void export_png(bool with_overlay);
  void import_palette();
  void export_palette();
  void load_background();

  // When there are unsaved changes: asks Save / Discard / Cancel and saves
  // on Save. True when it is fine to drop the document now.
  bool confirm_discard();
  // For MainWindow::closeEvent: confirm_discard(), and on yes the recovery
  // files go (nothing left to recover).
  bool close_requested();

 signals:
  // The document was replaced (new, open, recover).
  void document_replaced();

 private:
  void build_menu();
  QAction* add_action(const QString& text, const char* name, const QKeySequence& shortcut, std::function<void()> slot);
  void replace_document(doc::Document document, const QString& path, bool modified);
  void set_path(const QString& path);
  void update_title();
  void remember(const QString& path);
  void rebuild_recent_menu();
  void offer_recovery();
  void offer_recovery(const RecoveryEntry& entry);
  void error(const QString& text);
  QString suggestion(PathPurpose purpose) const;
  QString default_ask_path(PathPurpose purpose, const QString& suggestion);
  SaveChoice default_ask_save_changes(const QString& name);
  ForeignSaveChoice default_ask_overwrite_foreign(const QString& file_name, const QString& what_changes);
  // save_to(path), after asking when `path` is another program's .ora.
  bool save_checked(const QString& path);
  // What saving the document over `path` would change; empty when it is not
  // another program's .ora (ours, or no file there).
  QString foreign_file_change(const QString& path) const;
  void kept_frames_changed();

  QMainWindow* window_;
  EditContext* context_;
  BannerBar* banner_;
  BackgroundDock* background_dock_ = nullptr;
  HistoryStrip* history_ = nullptr;
  Autosaver* autosaver_;
  QMenu* menu_ = nullptr;
  QMenu* recent_menu_ = nullptr;
  QString path_;
  doc::Document initial_;  // what New starts from: the window's first document
};

}  // namespace semdraw::app

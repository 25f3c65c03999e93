#pragma once
// Autosave and crash recovery. After changes (debounced, and at most every
// max_wait during continuous work) the document is written to a recovery
// .ora in <AppDataLocation>/recovery/ with a JSON sidecar (original path,
// pid, time). The write runs on a worker thread from a copy of the document
// (a cheap copy: QImage is implicitly shared), so painting never waits; a
// change while a write is in flight is coalesced into one more write after it.
// A normal end (save, discard, closing the window) removes the files; a crash
// leaves them, and the next start finds them by their dead pid.
#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QThreadPool>
#include <QTimer>
#include <vector>

#include "doc/document.h"

namespace semdraw::app {

struct RecoveryEntry {
  QString ora_path;       // the recovery project
  QString sidecar_path;   // its JSON sidecar
  QString original_path;  // where the document was saved before; empty if never
  qint64 pid = 0;
  QDateTime time;  // of the autosave
};

class Autosaver : public QObject {
  Q_OBJECT
 public:
  static constexpr int kDebounceMs = 5000;
  static constexpr int kMaxWaitMs = 45000;

  // `document` is read (copied) on the GUI thread only.
  explicit Autosaver(const doc::Document* document, QObject* parent = nullptr);
  // Waits for a write in flight, then removes this session's files.
  ~Autosaver() override;

  static QString recovery_dir();
  // Recovery files whose process is gone, oldest first. Each is claimed (its
  // sidecar gets this process's pid) so that no other window offers it too;
  // a sidecar without its .ora, or unreadable, is removed.
  static std::vector<RecoveryEntry> find_orphans();
  static void remove_entry(const RecoveryEntry& entry);
  static bool process_alive(qint64 pid);

  void set_intervals(int debounce_ms, int max_wait_ms);
  // Recorded in the sidecar.
  void set_original_path(const QString& path);

  // The document changed: write it kDebounceMs after the last change, and no
  // later than kMaxWaitMs after the first change not yet written.
  void schedule();
  // Writes now (coalesced with a write in flight).
  void write_now();
  // Nothing to recover any more (saved, or changes thrown away): cancels a
  // pending write and removes the files (after a write in flight).
  void discard();
  // Takes an orphan's files over as this session's (after recovering it).
  void adopt(const RecoveryEntry& entry);

  QString recovery_path() const { return ora_path_; }
  QString sidecar_path() const { return sidecar_path_; }
  bool pending() const { return timer_.isActive(); }
  bool writing() const { return in_flight_; }
  // Tests: processes events until no write is in flight or pending.
  bool wait_until_idle(int timeout_ms);

 signals:
  void written(const QString& recovery_path);
  void failed(const QString& error);

 private:
  void finished(bool ok, const QString& error);
  QByteArray sidecar_json() const;

  const doc::Document* document_;
  QString ora_path_, sidecar_path_, original_path_;
  QTimer timer_;
  QElapsedTimer first_unwritten_change_;
  int debounce_ms_ = kDebounceMs;
  int max_wait_ms_ = kMaxWaitMs;
  bool in_flight_ = false;
  bool rewrite_after_ = false;
  QStringList remove_after_;  // files to remove once the write in flight ends
  QThreadPool worker_;
};

}  // namespace semdraw::app

#include "app/files/autosave.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QThread>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>

#include "doc/ora_writer.h"
#include "semdraw/fileio/temporaries.h"

namespace semdraw::app {

namespace {

constexpr const char* kSidecarFormat = "semdraw-recovery";

QByteArray sidecar_bytes(const QString& original_path, qint64 pid, const QDateTime& time) {
  QJsonObject o;
  o["format"] = kSidecarFormat;
  o["version"] = 1;
  o["original_path"] = original_path;
  o["pid"] = pid;
  o["time"] = time.toUTC().toString(Qt::ISODate);
  return QJsonDocument(o).toJson();
}

// Recovery files are private (0600): they live in the user's own state
// folder and no one else needs them.
const doc::WriteOptions kPrivate{.access = doc::FileAccess::Private};

bool write_atomic(const QString& path, const QByteArray& bytes, QString* error) {
  return doc::write_file_atomically(path, bytes, error, kPrivate);
}

void remove_files(const QStringList& paths) {
  for (const QString& path : paths) QFile::remove(path);
}

}  // namespace

Autosaver::Autosaver(const doc::Document* document, QObject* parent) : QObject(parent), document_(document) {
  static std::atomic<int> sessions{0};
  const QString base =
      QStringLiteral("%1/session-%2-%3").arg(recovery_dir()).arg(QCoreApplication::applicationPid()).arg(sessions++);
  ora_path_ = base + ".ora";
  sidecar_path_ = base + ".json";
  timer_.setSingleShot(true);
  connect(&timer_, &QTimer::timeout, this, &Autosaver::write_now);
  worker_.setMaxThreadCount(1);
}

Autosaver::~Autosaver() {
  worker_.waitForDone();
  remove_files(remove_after_);
  remove_files({ora_path_, sidecar_path_});
}

QString Autosaver::recovery_dir() {
  return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/recovery";
}

bool Autosaver::process_alive(qint64 pid) {
  if (pid <= 0) return false;
  if (pid == QCoreApplication::applicationPid()) return true;
#ifdef Q_OS_UNIX
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
#else
  return false;
#endif
}

std::vector<RecoveryEntry> Autosaver::find_orphans() {
  std::vector<RecoveryEntry> out;
  const QDir dir(recovery_dir());
  fileio::remove_stale_temporaries(QFile::encodeName(dir.path()).toStdString());  // a crash mid-write
  const QFileInfoList sidecars = dir.entryInfoList({"*.json"}, QDir::Files, QDir::Time | QDir::Reversed);
  for (const QFileInfo& info : sidecars) {
    RecoveryEntry entry;
    entry.sidecar_path = info.filePath();
    entry.ora_path = dir.filePath(info.completeBaseName() + ".ora");
    QFile file(entry.sidecar_path);
    const QJsonObject o =
        file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object() : QJsonObject();
    if (o.value("format").toString() != kSidecarFormat) {
      // Not ours or damaged: the .ora (if any) is still offered, with what
      // the file system knows.
      entry.time = info.lastModified();
    } else {
      entry.pid = o.value("pid").toInteger();
      entry.original_path = o.value("original_path").toString();
      entry.time = QDateTime::fromString(o.value("time").toString(), Qt::ISODate);
      if (process_alive(entry.pid)) continue;  // another window's live session
    }
    const QFileInfo ora(entry.ora_path);
    if (!ora.exists()) {
      QFile::remove(entry.sidecar_path);  // a crash before the first write finished
      continue;
    }
    if (!entry.time.isValid()) entry.time = ora.lastModified();
    QString error;
    if (!write_atomic(entry.sidecar_path,
                      sidecar_bytes(entry.original_path, QCoreApplication::applicationPid(), entry.time), &error))
      continue;  // cannot claim it: leave it for a later start
    out.push_back(entry);
  }
  return out;
}

void Autosaver::remove_entry(const RecoveryEntry& entry) { remove_files({entry.ora_path, entry.sidecar_path}); }

void Autosaver::set_intervals(int debounce_ms, int max_wait_ms) {
  debounce_ms_ = debounce_ms;
  max_wait_ms_ = max_wait_ms;
}

void Autosaver::set_original_path(const QString& path) { original_path_ = path; }

void Autosaver::schedule() {
  if (!first_unwritten_change_.isValid()) first_unwritten_change_.start();
  const qint64 left = max_wait_ms_ - first_unwritten_change_.elapsed();
  timer_.start(static_cast<int>(std::clamp<qint64>(left, 0, debounce_ms_)));
}

QByteArray Autosaver::sidecar_json() const {
  return sidecar_bytes(original_path_, QCoreApplication::applicationPid(), QDateTime::currentDateTimeUtc());
}

void Autosaver::write_now() {
  timer_.stop();
  if (in_flight_) {
    rewrite_after_ = true;
    return;
  }
  in_flight_ = true;
  first_unwritten_change_.invalidate();
  QDir().mkpath(recovery_dir());
  worker_.start([this, copy = *document_, ora = ora_path_, sidecar = sidecar_path_, json = sidecar_json()] {
    QString error;
    const bool ok = doc::save_ora(copy, ora, &error, kPrivate) && write_atomic(sidecar, json, &error);
    // Delivered unless this object is gone first (its destructor waits for
    // this task, and pending events die with it).
    QMetaObject::invokeMethod(
        this, [this, ok, error] { finished(ok, error); }, Qt::QueuedConnection);
  });
}

void Autosaver::finished(bool ok, const QString& error) {
  in_flight_ = false;
  const bool removed = remove_after_.contains(ora_path_);
  remove_files(remove_after_);
  remove_after_.clear();
  if (!ok)
    emit failed(error);
  else if (!removed)
    emit written(ora_path_);
  if (rewrite_after_) {
    rewrite_after_ = false;
    write_now();
  }
}

void Autosaver::discard() {
  timer_.stop();
  first_unwritten_change_.invalidate();
  rewrite_after_ = false;
  if (in_flight_)
    remove_after_ << ora_path_ << sidecar_path_;
  else
    remove_files({ora_path_, sidecar_path_});
}

void Autosaver::adopt(const RecoveryEntry& entry) {
  discard();
  ora_path_ = entry.ora_path;
  sidecar_path_ = entry.sidecar_path;
  original_path_ = entry.original_path;
  QString error;
  if (!write_atomic(sidecar_path_, sidecar_json(), &error)) emit failed(error);
}

bool Autosaver::wait_until_idle(int timeout_ms) {
  QDeadlineTimer deadline(timeout_ms);
  while (in_flight_ || timer_.isActive()) {
    if (deadline.hasExpired()) return false;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    if (in_flight_) QThread::msleep(2);
  }
  return true;
}

}  // namespace semdraw::app

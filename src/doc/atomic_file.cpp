#include "doc/atomic_file.h"

#include <QFile>
#include <string_view>

namespace semdraw::doc {

namespace {

std::filesystem::path native(const QString& path) {
  return std::filesystem::path(QFile::encodeName(path).toStdString());
}

bool write_reporting(const QString& path, const std::function<void(fileio::TemporaryFile&)>& fill, QString* error,
                     const WriteOptions& options) {
  try {
    fileio::write_atomically(native(path), fill, options);
    return true;
  } catch (const std::exception& failure) {
    *error = QString::fromLocal8Bit(failure.what());
    return false;
  }
}

}  // namespace

bool atomic_replace(const QString& path, const std::function<bool(const QString&, QString*)>& write, QString* error,
                    const WriteOptions& options) {
  return write_reporting(
      path,
      [&](fileio::TemporaryFile& file) {
        const QString temp = QFile::decodeName(file.path().c_str());
        QString why;
        // The artist knows the file, not our temporary: name the file.
        if (!write(temp, &why)) throw fileio::WriteError(why.replace(temp, path).toLocal8Bit().toStdString());
      },
      error, options);
}

bool write_file_atomically(const QString& path, const QByteArray& bytes, QString* error, const WriteOptions& options) {
  return write_reporting(
      path, [&](fileio::TemporaryFile& file) { file.write(std::string_view(bytes.constData(), bytes.size())); }, error,
      options);
}

}  // namespace semdraw::doc

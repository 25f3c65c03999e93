#pragma once
// Builds zip files the way another program would: plain libzip, any names,
// any layout. Test-only.
#include <zip.h>

#include <QByteArray>
#include <QFile>
#include <QString>
#include <algorithm>
#include <utility>
#include <vector>

namespace semdraw::doc::testing {

// `stored`: entries written uncompressed (OpenRaster writers store "mimetype").
inline bool write_plain_zip(const QString& path, const std::vector<std::pair<QString, QByteArray>>& entries,
                            const std::vector<QString>& stored = {}) {
  int code = 0;
  zip_t* zip = zip_open(QFile::encodeName(path).constData(), ZIP_CREATE | ZIP_TRUNCATE, &code);
  if (!zip) return false;
  for (const auto& [name, data] : entries) {
    zip_source_t* source = zip_source_buffer(zip, data.constData(), static_cast<zip_uint64_t>(data.size()), 0);
    const zip_int64_t index = source ? zip_file_add(zip, name.toUtf8().constData(), source, ZIP_FL_ENC_UTF_8) : -1;
    const bool store = std::find(stored.begin(), stored.end(), name) != stored.end();
    if (index < 0 || (store && zip_set_file_compression(zip, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0) != 0)) {
      zip_discard(zip);
      return false;
    }
  }
  return zip_close(zip) == 0;
}

inline QByteArray read_all(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

inline bool write_all(const QString& path, const QByteArray& bytes) {
  QFile file(path);
  return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

}  // namespace semdraw::doc::testing

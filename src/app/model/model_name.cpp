#include "app/model/model_name.h"

#include <QDir>
#include <QFileInfo>

namespace semdraw::app {

QString model_name(const std::string& model_path) {
  if (model_path.empty()) return QString();
  const QFileInfo info(QDir::cleanPath(QString::fromStdString(model_path)));
  if (info.isFile()) return info.completeBaseName();
  // <cache>/models--owner--name/snapshots/<hash>: the hash names nothing.
  const QDir snapshot = info.dir();
  if (snapshot.dirName() == QLatin1String("snapshots")) {
    const QString repo = QFileInfo(snapshot.absolutePath()).dir().dirName();
    if (repo.startsWith(QLatin1String("models--"))) return repo.mid(8).replace(QLatin1String("--"), QLatin1String("/"));
  }
  return info.fileName();
}

}  // namespace semdraw::app

#pragma once
// App tests must never read or write the artist's real settings (remembered
// models, recent files) nor each other's: every test process gets its own
// empty settings and data folders (ctest runs test processes side by side,
// and Qt's shared ~/.qttest test-mode folders let one test's clean-up delete
// another's recovery files).
#include <QCoreApplication>
#include <QFile>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>

namespace semdraw::test {

inline void isolate_qt_settings() {
  static QTemporaryDir dir;  // removed when the process ends
  QCoreApplication::setOrganizationName("SemanticDraw-tests");
  QCoreApplication::setApplicationName("SemanticDraw-tests");
  QSettings::setDefaultFormat(QSettings::IniFormat);
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
  for (const char* variable : {"XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"})
    qputenv(variable, QFile::encodeName(dir.filePath(QString::fromLatin1(variable).toLower())));
}

}  // namespace semdraw::test

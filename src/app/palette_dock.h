#pragma once
#include <QDockWidget>

#include "doc/document.h"

class QListWidget;

namespace semdraw::app {

// The semantic palette: one entry per region (colour swatch, name, prompt).
class PaletteDock : public QDockWidget {
  Q_OBJECT
 public:
  explicit PaletteDock(doc::Document* document, QWidget* parent = nullptr);
  QListWidget* list() const { return list_; }

 private:
  void refresh();

  doc::Document* document_;
  QListWidget* list_ = nullptr;
};

}  // namespace semdraw::app

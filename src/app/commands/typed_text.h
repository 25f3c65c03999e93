#pragma once
// Free-text fields that commit as they are typed (region name and prompts,
// background prompts): the wiring and the reload rule they share.
#include <QLineEdit>
#include <QObject>
#include <QString>
#include <utility>

namespace semdraw::app {

// `commit` runs on every keystroke, and again on Enter or focus loss (which
// also covers text set without typing); then `*burst` advances, so the next
// keystrokes start a new undo step (the commands merge per burst number).
template <typename Commit>
void commit_as_typed(QLineEdit* field, QObject* receiver, Commit commit, int* burst) {
  QObject::connect(field, &QLineEdit::textEdited, receiver, commit);
  QObject::connect(field, &QLineEdit::editingFinished, receiver, [commit = std::move(commit), burst] {
    commit();
    ++*burst;
  });
}

// Shows `text` unless the field already does: setText would move the cursor
// of the artist typing there.
inline void show_text(QLineEdit* field, const QString& text) {
  if (field->text() != text) field->setText(text);
}

}  // namespace semdraw::app

#pragma once
#include <QAbstractSpinBox>
#include <cstdint>

namespace semdraw::app {

// A spin box over the full unsigned 64-bit range (QSpinBox stops at 2^31 - 1,
// and seeds from other tools and files go far beyond). Every keystroke that
// leaves a number commits it, as do the arrows; Enter or focus loss shows the
// committed value again (an emptied box goes back to it).
class SeedSpinBox : public QAbstractSpinBox {
  Q_OBJECT
 public:
  explicit SeedSpinBox(QWidget* parent = nullptr);

  quint64 value() const { return value_; }
  // Shows `value` without emitting value_committed (for reloads from the
  // document); the text is left alone when it already says `value`, so the
  // cursor of someone typing stays put.
  void set_value(quint64 value);
  // Commits the typed number if it differs from value() (before a save or a
  // render); an empty box is left for the artist to finish.
  void commit_pending();

  void stepBy(int steps) override;
  QValidator::State validate(QString& input, int& pos) const override;
  void fixup(QString& input) const override;

 signals:
  void value_committed(quint64 value);

 protected:
  StepEnabled stepEnabled() const override;

 private:
  void commit_text();
  void commit(quint64 value);

  quint64 value_ = 0;
};

}  // namespace semdraw::app

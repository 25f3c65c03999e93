#pragma once
#include <QAbstractSpinBox>
#include <cstdint>

namespace semdraw::app {

// A spin box over the full unsigned 64-bit range (QSpinBox stops at 2^31 - 1,
// and seeds from other tools and files go far beyond). Typing commits on
// Enter or focus loss; the arrows commit at once.
class SeedSpinBox : public QAbstractSpinBox {
  Q_OBJECT
 public:
  explicit SeedSpinBox(QWidget* parent = nullptr);

  quint64 value() const { return value_; }
  // Shows `value` without emitting value_committed (for reloads from the document).
  void set_value(quint64 value);

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

#include "app/docks/seed_spin_box.h"

#include <QLineEdit>
#include <limits>
#include <optional>

#include "app/commands/typed_text.h"

namespace semdraw::app {

namespace {
constexpr quint64 kMax = std::numeric_limits<quint64>::max();
}

SeedSpinBox::SeedSpinBox(QWidget* parent) : QAbstractSpinBox(parent) {
  setCorrectionMode(QAbstractSpinBox::CorrectToPreviousValue);
  lineEdit()->setText(QStringLiteral("0"));
  connect(this, &QAbstractSpinBox::editingFinished, this, &SeedSpinBox::commit_text);
  connect(lineEdit(), &QLineEdit::textEdited, this, &SeedSpinBox::commit_pending);
}

namespace {
// The number `text` spells, if it is one.
std::optional<quint64> parse(const QString& text) {
  bool ok = false;
  const quint64 value = text.trimmed().toULongLong(&ok);
  return ok ? std::optional<quint64>(value) : std::nullopt;
}
}  // namespace

void SeedSpinBox::set_value(quint64 value) {
  value_ = value;
  if (parse(lineEdit()->text()) != value) lineEdit()->setText(QString::number(value));
}

void SeedSpinBox::commit_pending() {
  if (const auto typed = parse(lineEdit()->text())) commit(*typed);
}

void SeedSpinBox::commit(quint64 value) {
  const bool changed = value != value_;
  set_value(value);
  if (changed) emit value_committed(value);
}

void SeedSpinBox::commit_text() {
  if (const auto typed = parse(lineEdit()->text())) commit(*typed);
  // What the document has, spelled plainly ("007" is 7; an empty box goes back).
  show_text(lineEdit(), QString::number(value_));
}

void SeedSpinBox::stepBy(int steps) {
  // Saturating: no wrap from 0 to 2^64 - 1 at a careless click.
  const quint64 by = static_cast<quint64>(steps < 0 ? -static_cast<qint64>(steps) : steps);
  if (steps < 0)
    commit(value_ >= by ? value_ - by : 0);
  else
    commit(kMax - value_ >= by ? value_ + by : kMax);
}

QAbstractSpinBox::StepEnabled SeedSpinBox::stepEnabled() const {
  StepEnabled enabled = StepNone;
  if (value_ > 0) enabled |= StepDownEnabled;
  if (value_ < kMax) enabled |= StepUpEnabled;
  return enabled;
}

QValidator::State SeedSpinBox::validate(QString& input, int&) const {
  const QString text = input.trimmed();
  if (text.isEmpty()) return QValidator::Intermediate;
  for (const QChar c : text)
    if (!c.isDigit()) return QValidator::Invalid;
  bool ok = false;
  text.toULongLong(&ok);
  return ok ? QValidator::Acceptable : QValidator::Invalid;  // over 2^64 - 1 cannot be typed
}

void SeedSpinBox::fixup(QString& input) const { input = QString::number(value_); }

}  // namespace semdraw::app

#include "app/docks/banner_bar.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QMainWindow>
#include <QPushButton>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace semdraw::app {

namespace {

const char* severity_name(Severity severity) {
  switch (severity) {
    case Severity::Info: return "info";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "info";
}

QString frame_style(Severity severity) {
  // Light tints with a darker edge, readable in light and dark themes alike
  // because the text colour is set with them.
  const char* background = "#e8f1fb";
  const char* border = "#7aa7d9";
  if (severity == Severity::Warning) background = "#fff5d6", border = "#d9b44a";
  if (severity == Severity::Error) background = "#fde4e1", border = "#d9675a";
  return QStringLiteral(
             "QFrame#BannerMessage { background: %1; border: 1px solid %2; border-radius: 3px; }"
             "QFrame#BannerMessage QLabel { color: #202020; }")
      .arg(background, border);
}

QStyle::StandardPixmap severity_icon(Severity severity) {
  switch (severity) {
    case Severity::Info: return QStyle::SP_MessageBoxInformation;
    case Severity::Warning: return QStyle::SP_MessageBoxWarning;
    case Severity::Error: return QStyle::SP_MessageBoxCritical;
  }
  return QStyle::SP_MessageBoxInformation;
}

}  // namespace

BannerBar::BannerBar(QWidget* parent) : QWidget(parent) {
  setObjectName("BannerBar");
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(4, 4, 4, 0);
  layout_ = new QVBoxLayout;
  layout_->setSpacing(3);
  row->addLayout(layout_, 1);
  more_ = new QLabel(this);
  more_->setObjectName("BannerMore");
  more_->setToolTip(tr("Close this message to see the next"));
  more_->hide();
  row->addWidget(more_);
  setVisible(false);
}

BannerBar* BannerBar::install(QMainWindow* window) {
  QWidget* central = window->takeCentralWidget();
  auto* area = new QWidget(window);
  area->setObjectName("CentralArea");
  auto* column = new QVBoxLayout(area);
  column->setContentsMargins(0, 0, 0, 0);
  column->setSpacing(0);
  auto* bar = new BannerBar(area);
  column->addWidget(bar);
  if (central) column->addWidget(central, 1);
  window->setCentralWidget(area);
  return bar;
}

int BannerBar::show_message(Severity severity, const QString& text, std::vector<BannerAction> actions) {
  for (const Message& m : shown_)
    if (m.severity == severity && m.text == text) return m.id;
  for (const Message& m : queued_)
    if (m.severity == severity && m.text == text) return m.id;
  Message message{next_id_++, severity, text, std::move(actions)};
  const int id = message.id;
  if (shown_.size() < static_cast<size_t>(kMaxVisible))
    show_now(std::move(message));
  else
    queued_.push_back(std::move(message));
  refresh_more();
  return id;
}

void BannerBar::show_now(Message message) {
  auto* frame = new QFrame(this);
  frame->setObjectName("BannerMessage");
  frame->setProperty("severity", severity_name(message.severity));
  frame->setStyleSheet(frame_style(message.severity));
  auto* row = new QHBoxLayout(frame);
  row->setContentsMargins(6, 3, 3, 3);
  auto* icon = new QLabel(frame);
  const int icon_size = style()->pixelMetric(QStyle::PM_SmallIconSize);
  icon->setPixmap(style()->standardIcon(severity_icon(message.severity)).pixmap(icon_size, icon_size));
  row->addWidget(icon);
  auto* label = new QLabel(message.text, frame);
  label->setObjectName("BannerText");
  label->setWordWrap(true);
  label->setTextFormat(Qt::PlainText);
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  row->addWidget(label, 1);
  const int id = message.id;
  for (size_t i = 0; i < message.actions.size(); ++i) {
    auto* button = new QPushButton(message.actions[i].label, frame);
    button->setObjectName("BannerAction");
    connect(button, &QPushButton::clicked, this, [this, id, i] { run_action(id, i); });
    row->addWidget(button);
  }
  auto* close = new QToolButton(frame);
  close->setObjectName("BannerClose");
  close->setText(QStringLiteral("\u2715"));
  close->setToolTip(tr("Close this message"));
  close->setAutoRaise(true);
  connect(close, &QToolButton::clicked, this, [this, id] { close_message(id); });
  row->addWidget(close);
  if (message.severity == Severity::Info && message.actions.empty())
    QTimer::singleShot(info_timeout_ms_, frame, [this, id] { close_message(id); });

  message.widget = frame;
  layout_->addWidget(frame);
  shown_.push_back(std::move(message));
  setVisible(true);
  emit message_shown(id);
}

void BannerBar::close_message(int id) {
  for (auto it = queued_.begin(); it != queued_.end(); ++it) {
    if (it->id == id) {
      queued_.erase(it);
      refresh_more();
      emit message_closed(id);
      return;
    }
  }
  for (auto it = shown_.begin(); it != shown_.end(); ++it) {
    if (it->id != id) continue;
    // deleteLater: this may run from a click on one of the row's own buttons.
    it->widget->hide();
    it->widget->deleteLater();
    shown_.erase(it);
    emit message_closed(id);
    if (!queued_.empty()) {
      Message next = std::move(queued_.front());
      queued_.pop_front();
      show_now(std::move(next));
    }
    refresh_more();
    if (shown_.empty()) setVisible(false);
    return;
  }
}

void BannerBar::run_action(int id, size_t action) {
  for (const Message& m : shown_) {
    if (m.id != id) continue;
    // Close first: the callback may show a new message or close this window.
    const std::function<void()> callback = m.actions.at(action).callback;
    close_message(id);
    if (callback) callback();
    return;
  }
}

void BannerBar::refresh_more() {
  more_->setText(tr("%n more", nullptr, static_cast<int>(queued_.size())));
  more_->setVisible(!queued_.empty());
}

QStringList BannerBar::texts() const {
  QStringList out;
  for (const Message& m : shown_) out << m.text;
  for (const Message& m : queued_) out << m.text;
  return out;
}

QWidget* BannerBar::message_widget(int id) const {
  for (const Message& m : shown_)
    if (m.id == id) return m.widget;
  return nullptr;
}

}  // namespace semdraw::app

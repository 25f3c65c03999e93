#pragma once
// A non-blocking message bar at the top of the central area: what went wrong
// (or what can be done) without a modal dialog in the artist's way. One
// message at a time, so the canvas moves down by one row at most however
// much goes wrong; the others wait in a queue ("2 more" beside the row) and
// appear as earlier ones are closed. A message already shown or queued is
// not repeated.
#include <QString>
#include <QWidget>
#include <deque>
#include <functional>
#include <vector>

class QLabel;
class QMainWindow;
class QVBoxLayout;

namespace semdraw::app {

enum class Severity { Info, Warning, Error };

struct BannerAction {
  QString label;
  std::function<void()> callback;  // runs, then the message closes
};

class BannerBar : public QWidget {
  Q_OBJECT
 public:
  static constexpr int kMaxVisible = 1;
  // Info messages without actions close themselves after this long.
  static constexpr int kInfoTimeoutMs = 10000;

  explicit BannerBar(QWidget* parent = nullptr);

  // Puts a bar above the window's central widget (the central widget is
  // wrapped, not replaced) and returns it.
  static BannerBar* install(QMainWindow* window);

  // Shows a message; returns its id. A message equal to one already shown or
  // queued (same severity and text) is not repeated: that one's id is returned.
  int show_message(Severity severity, const QString& text, std::vector<BannerAction> actions = {});
  void close_message(int id);

  void set_info_timeout_ms(int ms) { info_timeout_ms_ = ms; }

  // Shown plus queued.
  int message_count() const { return static_cast<int>(shown_.size() + queued_.size()); }
  int shown_count() const { return static_cast<int>(shown_.size()); }
  // The texts of the shown messages, oldest first, then the queued ones.
  QStringList texts() const;
  // The message row widget of a shown message (object name "BannerMessage";
  // its buttons carry the action labels, the close button is "BannerClose").
  QWidget* message_widget(int id) const;
  // "2 more" while messages wait (object name "BannerMore"), hidden otherwise.
  QLabel* more_label() const { return more_; }

 signals:
  void message_shown(int id);
  void message_closed(int id);

 private:
  struct Message {
    int id;
    Severity severity;
    QString text;
    std::vector<BannerAction> actions;
    QWidget* widget = nullptr;
  };
  void show_now(Message message);
  void run_action(int id, size_t action);
  void refresh_more();

  QVBoxLayout* layout_ = nullptr;
  QLabel* more_ = nullptr;  // how many wait in the queue
  std::vector<Message> shown_;
  std::deque<Message> queued_;
  int next_id_ = 1;
  int info_timeout_ms_ = kInfoTimeoutMs;
};

}  // namespace semdraw::app

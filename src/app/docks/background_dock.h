#pragma once
#include <QDockWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace semdraw::app {

class EditContext;

// The background: its prompt and negative prompt, and either a picture to
// paint over (real-time editing, docs/ALGORITHM.md §4) or plain white. Every change is
// an undo command. The prompt fields commit as they are typed in; the
// keystrokes of one typing burst (until Enter or focus loss) are one undo step.
class BackgroundDock : public QDockWidget {
  Q_OBJECT
 public:
  explicit BackgroundDock(EditContext* context, QWidget* parent = nullptr);

  // Loads a picture (any format doc::load_image reads) as the background, as
  // one undo step. It fills the canvas keeping its aspect (centred, the
  // overflow cropped); with "Canvas to image size" on, the canvas first takes
  // the picture's size (see canvas_size_for_image). On failure emits error()
  // and leaves the document untouched. This is what "Load image…" calls after
  // its file dialog.
  bool load_background(const QString& path);
  // Back to plain white (the prompt stays).
  void set_plain_white();

  QLineEdit* prompt_edit() const { return prompt_; }
  QLineEdit* negative_edit() const { return negative_; }
  QLabel* thumbnail() const { return thumbnail_; }
  QCheckBox* match_canvas_check() const { return match_canvas_; }
  QPushButton* plain_white_button() const { return plain_white_; }

 signals:
  void error(const QString& message);
  // Something the artist should know but need not act on (a cropped picture).
  void notice(const QString& message);

 private:
  void choose_file();
  void edit_prompts();
  void reload();
  int burst_ = 1;  // numbers the typing bursts (see SetBackgroundCommand)

  EditContext* context_;
  QLabel* thumbnail_ = nullptr;
  QLineEdit* prompt_ = nullptr;
  QLineEdit* negative_ = nullptr;
  QCheckBox* match_canvas_ = nullptr;
  QPushButton* plain_white_ = nullptr;
};

}  // namespace semdraw::app

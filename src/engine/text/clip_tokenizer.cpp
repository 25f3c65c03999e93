#include "text/clip_tokenizer.h"

#include <stdexcept>

#include "text/bpe.h"
#include "text/clip_text_processing.h"
#include "text/clip_tokenizer_files.h"
#include "text/utf8.h"

namespace semdraw::text {
namespace {

struct Pattern {
  std::u32string text;
  int32_t id;
};

// Splits `text` at the leftmost-longest occurrences of the patterns (HF
// `tokenizers` matches added tokens this way) and calls on_text for the pieces
// between them and on_token for each match.
template <typename OnText, typename OnToken>
void split_on_patterns(std::u32string_view text, const std::vector<Pattern>& patterns, OnText&& on_text,
                       OnToken&& on_token) {
  std::size_t piece_start = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const Pattern* best = nullptr;
    for (const Pattern& p : patterns) {
      if (text.substr(pos, p.text.size()) == p.text && (best == nullptr || p.text.size() > best->text.size())) {
        best = &p;
      }
    }
    if (best == nullptr) {
      ++pos;
      continue;
    }
    if (pos > piece_start) on_text(text.substr(piece_start, pos - piece_start));
    on_token(best->id);
    pos += best->text.size();
    piece_start = pos;
  }
  if (piece_start < text.size()) on_text(text.substr(piece_start));
}

}  // namespace

struct ClipTokenizer::Impl {
  BytePairEncoder bpe;
  std::vector<Pattern> raw_specials;         // matched before normalisation
  std::vector<Pattern> normalized_specials;  // matched in normalised text
  int32_t bos = 0;
  int32_t eos = 0;
  int32_t pad = 0;
  std::size_t vocab_size = 0;

  void encode_normalized_piece(std::u32string_view piece, std::vector<int32_t>& out) const {
    std::string bytes;
    for (std::u32string_view word : clip_pre_tokenize(piece)) {
      bytes.clear();
      for (char32_t cp : word) append_utf8(bytes, cp);
      bpe.encode_word(bytes, out);
    }
  }

  void encode_raw_piece(std::u32string_view piece, std::vector<int32_t>& out) const {
    const std::u32string normalized = clip_normalize(piece);
    split_on_patterns(
        normalized, normalized_specials, [&](std::u32string_view text) { encode_normalized_piece(text, out); },
        [&](int32_t id) { out.push_back(id); });
  }
};

ClipTokenizer::ClipTokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ClipTokenizer::ClipTokenizer(ClipTokenizer&&) noexcept = default;
ClipTokenizer& ClipTokenizer::operator=(ClipTokenizer&&) noexcept = default;
ClipTokenizer::~ClipTokenizer() = default;

ClipTokenizer ClipTokenizer::from_folder(const std::filesystem::path& folder) {
  ClipTokenizerFiles files = read_clip_tokenizer_folder(folder);
  std::unique_ptr<Impl> impl;
  try {
    impl.reset(new Impl{
        BytePairEncoder(files.vocab, files.merges, files.merge_lines, "</w>", files.vocab_path, files.merges_path),
        {},
        {},
        files.bos_id,
        files.eos_id,
        files.pad_id,
        files.vocab_size});
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(e.what());  // one exception type for every bad-folder error
  }
  for (const SpecialToken& token : files.special_tokens) {
    if (token.normalized) {
      // Matched against normalised text, so the pattern is normalised too.
      std::u32string pattern = clip_normalize(decode_utf8(token.content));
      if (!pattern.empty()) impl->normalized_specials.push_back({std::move(pattern), token.id});
    } else {
      impl->raw_specials.push_back({decode_utf8(token.content), token.id});
    }
  }
  return ClipTokenizer(std::move(impl));
}

ClipTokenizer ClipTokenizer::bundled(const std::filesystem::path& resources_dir) {
  return from_folder(resources_dir / "clip");
}

std::vector<int32_t> ClipTokenizer::encode(std::string_view utf8) const {
  const std::u32string text = decode_utf8(utf8);
  std::vector<int32_t> ids;
  split_on_patterns(
      text, impl_->raw_specials, [&](std::u32string_view piece) { impl_->encode_raw_piece(piece, ids); },
      [&](int32_t id) { ids.push_back(id); });
  return ids;
}

std::vector<int32_t> ClipTokenizer::encode_padded(std::string_view utf8, int length) const {
  if (length < 2) {
    throw std::invalid_argument("ClipTokenizer::encode_padded: length " + std::to_string(length) +
                                " leaves no room for the start and end tokens (need >= 2)");
  }
  std::vector<int32_t> content = encode(utf8);
  const std::size_t room = static_cast<std::size_t>(length) - 2;
  if (content.size() > room) content.resize(room);  // truncation keeps EOS: it is added after
  std::vector<int32_t> ids;
  ids.reserve(static_cast<std::size_t>(length));
  ids.push_back(impl_->bos);
  ids.insert(ids.end(), content.begin(), content.end());
  ids.push_back(impl_->eos);
  ids.resize(static_cast<std::size_t>(length), impl_->pad);
  return ids;
}

int32_t ClipTokenizer::bos_id() const { return impl_->bos; }
int32_t ClipTokenizer::eos_id() const { return impl_->eos; }
int32_t ClipTokenizer::pad_id() const { return impl_->pad; }
std::size_t ClipTokenizer::vocab_size() const { return impl_->vocab_size; }

}  // namespace semdraw::text

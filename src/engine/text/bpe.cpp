#include "text/bpe.h"

#include <mutex>
#include <queue>
#include <stdexcept>

#include "text/utf8.h"

namespace semdraw::text {
namespace {

constexpr std::size_t kCacheCapacity = 10000;

uint64_t pair_key(int32_t left, int32_t right) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) | static_cast<uint32_t>(right);
}

std::string byte_level_token(uint8_t b) {
  std::string s;
  append_utf8(s, byte_level_char(b));
  return s;
}

}  // namespace

char32_t byte_level_char(uint8_t b) {
  const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
  if (printable) return b;
  // The n-th non-printable byte (in byte order) maps to U+0100 + n.
  char32_t n = 0;
  for (unsigned c = 0; c < b; ++c) {
    const bool p = (c >= '!' && c <= '~') || (c >= 0xA1 && c <= 0xAC) || (c >= 0xAE);
    if (!p) ++n;
  }
  return 0x100 + n;
}

struct BytePairEncoder::Cache {
  std::mutex mutex;
  std::unordered_map<std::string, std::vector<int32_t>> words;
};

BytePairEncoder::BytePairEncoder(const std::unordered_map<std::string, int32_t>& vocab,
                                 const std::vector<std::pair<std::string, std::string>>& merges,
                                 const std::vector<int>& merge_lines, std::string_view end_of_word_suffix,
                                 const std::string& vocab_origin, const std::string& merges_origin)
    : cache_(std::make_unique<Cache>()) {
  auto lookup = [&](const std::string& token, const std::string& where) {
    auto it = vocab.find(token);
    if (it == vocab.end()) {
      throw std::invalid_argument(where + ": token '" + token + "' is not in " + vocab_origin);
    }
    return it->second;
  };
  for (int b = 0; b < 256; ++b) {
    const std::string symbol = byte_level_token(static_cast<uint8_t>(b));
    byte_ids_[b] = lookup(symbol, vocab_origin + " (byte-level symbol)");
    byte_end_ids_[b] = lookup(symbol + std::string(end_of_word_suffix), vocab_origin + " (byte-level symbol)");
  }
  merges_.reserve(merges.size());
  for (std::size_t rank = 0; rank < merges.size(); ++rank) {
    const auto& [left, right] = merges[rank];
    const std::string where = merges_origin + " line " + std::to_string(merge_lines.at(rank));
    const int32_t left_id = lookup(left, where);
    const int32_t right_id = lookup(right, where);
    const int32_t merged_id = lookup(left + right, where);
    // A repeated pair keeps its first (highest priority) rank.
    merges_.try_emplace(pair_key(left_id, right_id), MergeTarget{static_cast<int32_t>(rank), merged_id});
  }
}

BytePairEncoder::~BytePairEncoder() = default;
BytePairEncoder::BytePairEncoder(BytePairEncoder&&) noexcept = default;
BytePairEncoder& BytePairEncoder::operator=(BytePairEncoder&&) noexcept = default;

const BytePairEncoder::MergeTarget* BytePairEncoder::find_merge(int32_t left, int32_t right) const {
  auto it = merges_.find(pair_key(left, right));
  return it == merges_.end() ? nullptr : &it->second;
}

void BytePairEncoder::encode_word(std::string_view word_bytes, std::vector<int32_t>& out) const {
  if (word_bytes.empty()) return;
  {
    std::lock_guard lock(cache_->mutex);
    auto it = cache_->words.find(std::string(word_bytes));
    if (it != cache_->words.end()) {
      out.insert(out.end(), it->second.begin(), it->second.end());
      return;
    }
  }
  std::vector<int32_t> ids = merge_word(word_bytes);
  out.insert(out.end(), ids.begin(), ids.end());
  std::lock_guard lock(cache_->mutex);
  if (cache_->words.size() >= kCacheCapacity) cache_->words.clear();  // bounded memory on hostile input
  cache_->words.emplace(std::string(word_bytes), std::move(ids));
}

// Symbols form a doubly linked list; candidate merges sit in a min-heap keyed by
// (rank, position). Popping the lowest rank first and the leftmost among equal
// ranks gives the same result as the classic "merge the best pair everywhere,
// repeat" loop, in O(n log n) even for very long words.
std::vector<int32_t> BytePairEncoder::merge_word(std::string_view word_bytes) const {
  struct Symbol {
    int32_t id;
    int32_t prev;
    int32_t next;
    bool alive;
  };
  struct Candidate {
    int32_t rank;
    int32_t pos;
    int32_t merged_id;
    bool operator>(const Candidate& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
  };

  const int32_t n = static_cast<int32_t>(word_bytes.size());
  std::vector<Symbol> symbols(static_cast<std::size_t>(n));
  for (int32_t i = 0; i < n; ++i) {
    const auto b = static_cast<uint8_t>(word_bytes[static_cast<std::size_t>(i)]);
    symbols[static_cast<std::size_t>(i)] = {i == n - 1 ? byte_end_ids_[b] : byte_ids_[b], i - 1, i + 1 < n ? i + 1 : -1,
                                            true};
  }

  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> heap;
  auto push_pair = [&](int32_t pos) {
    const Symbol& s = symbols[static_cast<std::size_t>(pos)];
    if (s.next < 0) return;
    if (const MergeTarget* m = find_merge(s.id, symbols[static_cast<std::size_t>(s.next)].id)) {
      heap.push({m->rank, pos, m->id});
    }
  };
  for (int32_t i = 0; i + 1 < n; ++i) push_pair(i);

  while (!heap.empty()) {
    const Candidate top = heap.top();
    heap.pop();
    Symbol& left = symbols[static_cast<std::size_t>(top.pos)];
    if (!left.alive || left.next < 0) continue;
    Symbol& right = symbols[static_cast<std::size_t>(left.next)];
    // Stale entry: one of the two symbols changed since it was queued.
    const MergeTarget* current = find_merge(left.id, right.id);
    if (current == nullptr || current->id != top.merged_id) continue;

    left.id = top.merged_id;
    right.alive = false;
    left.next = right.next;
    if (left.next >= 0) symbols[static_cast<std::size_t>(left.next)].prev = top.pos;
    if (left.prev >= 0) push_pair(left.prev);
    push_pair(top.pos);
  }

  std::vector<int32_t> ids;
  for (int32_t i = 0; i >= 0; i = symbols[static_cast<std::size_t>(i)].next) {
    ids.push_back(symbols[static_cast<std::size_t>(i)].id);
  }
  return ids;
}

}  // namespace semdraw::text

// Reading .safetensors: map the file, validate the whole header before any
// tensor is touched, then hand out views of the mapping (or converted copies).
//
// Layout: 8 bytes little-endian header length N, N bytes of UTF-8 JSON, then
// the data region. Every offset in the JSON is relative to the data region.
#include "io/safetensors.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <tuple>
#include <unordered_set>

#include "io/mapped_file.h"
#include "io/pickle_guard.h"
#include "io/safetensors_dtype.h"

namespace semdraw::io {

static_assert(std::endian::native == std::endian::little,
              "safetensors data is little-endian; a big-endian host would need byte swapping");

namespace {

// The reference implementation refuses larger headers; a real checkpoint's
// header is a few hundred kilobytes.
constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;
// No real tensor has a dimension this large; it keeps products below overflow
// long before the span check.
constexpr std::uint64_t kMaxDimension = std::uint64_t{1} << 62;
constexpr int kMaxJsonDepth = 16;

struct Entry {
  const DtypeSpec* dtype = nullptr;
  std::vector<int64_t> shape;
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) text += ",";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

// Strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF). Returns
// the offset of the first bad byte, or npos.
std::size_t find_invalid_utf8(const unsigned char* text, std::size_t size) {
  std::size_t i = 0;
  while (i < size) {
    const unsigned char c = text[i];
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      length = 2;
      code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3;
      code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4;
      code = c & 0x07;
    } else {
      return i;
    }
    if (i + length > size) return i;
    for (std::size_t k = 1; k < length; ++k) {
      if ((text[i + k] & 0xC0) != 0x80) return i;
      code = (code << 6) | (text[i + k] & 0x3F);
    }
    const bool overlong =
        (length == 2 && code < 0x80) || (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
    if (overlong || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return i;
    i += length;
  }
  return std::string::npos;
}

}  // namespace

struct SafetensorsFile::Impl {
  std::filesystem::path path;
  std::shared_ptr<MappedFile> mapping;
  std::size_t data_start = 0;  // 8 + header length
  std::map<std::string, Entry> entries;
  Header header;

  [[noreturn]] void fail(const std::string& problem) const { throw FormatError(path.string() + ": " + problem); }
  [[noreturn]] void fail(const std::string& tensor, const std::string& problem) const {
    throw FormatError(path.string() + ": tensor '" + tensor + "': " + problem);
  }

  void parse();
  nlohmann::json parse_json(const char* begin, std::size_t size) const;
  Entry parse_entry(const std::string& name, const nlohmann::json& value) const;
  void parse_metadata(const nlohmann::json& value);
  void check_tiling() const;
};

nlohmann::json SafetensorsFile::Impl::parse_json(const char* begin, std::size_t size) const {
  // nlohmann keeps the last of duplicate keys silently; a file whose meaning
  // depends on which duplicate wins is refused. One key set per open object.
  std::vector<std::unordered_set<std::string>> open_objects;
  std::string duplicate;
  const auto callback = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    // A real header nests three levels deep; a hostile one could nest
    // millions, so stop early rather than build (and later free) such a tree.
    if (depth > kMaxJsonDepth) fail("header nests JSON deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    if (event == Event::object_start) {
      open_objects.emplace_back();
    } else if (event == Event::object_end) {
      if (!open_objects.empty()) open_objects.pop_back();
    } else if (event == Event::key && !open_objects.empty()) {
      const std::string& key = parsed.get_ref<const std::string&>();
      if (!open_objects.back().insert(key).second && duplicate.empty()) duplicate = key;
    }
    return true;
  };
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(begin, begin + size, callback);
  } catch (const nlohmann::json::exception& error) {
    fail(std::string("header is not valid JSON: ") + error.what());
  }
  if (!duplicate.empty()) fail("header has the key '" + duplicate + "' more than once");
  return json;
}

Entry SafetensorsFile::Impl::parse_entry(const std::string& name, const nlohmann::json& value) const {
  if (!value.is_object()) fail(name, "entry should be an object with dtype, shape and data_offsets");
  for (const char* field : {"dtype", "shape", "data_offsets"}) {
    if (!value.contains(field)) fail(name, std::string("entry has no '") + field + "'");
  }
  Entry entry;
  const nlohmann::json& dtype = value.at("dtype");
  if (!dtype.is_string()) fail(name, "dtype should be a string");
  entry.dtype = find_dtype(dtype.get_ref<const std::string&>());
  if (entry.dtype == nullptr) {
    fail(name, "unsupported dtype '" + dtype.get<std::string>() +
                   "' (supported: " + std::string(supported_dtype_names()) + ")");
  }
  const nlohmann::json& shape = value.at("shape");
  if (!shape.is_array()) fail(name, "shape should be an array of non-negative integers");
  std::uint64_t elements = 1;
  for (const nlohmann::json& dim : shape) {
    if (!dim.is_number_unsigned()) fail(name, "shape " + shape.dump() + " should hold non-negative integers");
    const auto size = dim.get<std::uint64_t>();
    if (size > kMaxDimension) fail(name, "shape " + shape.dump() + " has an impossibly large dimension");
    if (__builtin_mul_overflow(elements, size, &elements)) fail(name, "shape " + shape.dump() + " overflows");
    entry.shape.push_back(static_cast<int64_t>(size));
  }
  const nlohmann::json& offsets = value.at("data_offsets");
  if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
      !offsets[1].is_number_unsigned()) {
    fail(name, "data_offsets should be two non-negative integers [begin, end], got " + offsets.dump());
  }
  entry.begin = offsets[0].get<std::uint64_t>();
  entry.end = offsets[1].get<std::uint64_t>();
  const std::uint64_t region = mapping->size() - data_start;
  if (entry.begin > entry.end) {
    fail(name,
         "data_offsets [" + std::to_string(entry.begin) + "," + std::to_string(entry.end) + "] begin after they end");
  }
  if (entry.end > region) {
    fail(name, "data_offsets [" + std::to_string(entry.begin) + "," + std::to_string(entry.end) +
                   "] run past the data region of " + std::to_string(region) + " bytes");
  }
  std::uint64_t bytes = 0;
  const bool overflow = __builtin_mul_overflow(elements, entry.dtype->size, &bytes);
  if (overflow || bytes != entry.end - entry.begin) {
    fail(name, "shape " + shape_text(entry.shape) + " of " + std::string(entry.dtype->name) + " needs " +
                   (overflow ? std::string("more than 2^64") : std::to_string(bytes)) + " bytes but its offsets span " +
                   std::to_string(entry.end - entry.begin));
  }
  return entry;
}

void SafetensorsFile::Impl::parse_metadata(const nlohmann::json& value) {
  if (!value.is_object()) fail("'__metadata__' should be an object of strings");
  for (const auto& [key, text] : value.items()) {
    if (!text.is_string()) fail("'__metadata__' entry '" + key + "' should be a string, got " + text.dump());
    header.metadata[key] = text.get<std::string>();
  }
}

void SafetensorsFile::Impl::check_tiling() const {
  // Sorted by (begin, end) the tensors must cover the data region exactly:
  // this rejects overlaps, gaps and trailing bytes in one pass.
  std::vector<const std::pair<const std::string, Entry>*> order;
  for (const auto& item : entries) order.push_back(&item);
  std::sort(order.begin(), order.end(), [](auto* a, auto* b) {
    return std::tie(a->second.begin, a->second.end, a->first) < std::tie(b->second.begin, b->second.end, b->first);
  });
  std::uint64_t expected = 0;
  const std::string* previous = nullptr;
  for (const auto* item : order) {
    const Entry& entry = item->second;
    if (entry.begin < expected) {
      fail(item->first, "data_offsets [" + std::to_string(entry.begin) + "," + std::to_string(entry.end) +
                            "] overlap tensor '" + *previous + "' (which ends at " + std::to_string(expected) + ")");
    }
    if (entry.begin > expected) {
      fail(item->first, "data_offsets [" + std::to_string(entry.begin) + "," + std::to_string(entry.end) +
                            "] leave a gap of " + std::to_string(entry.begin - expected) + " unused bytes after " +
                            (previous ? "tensor '" + *previous + "'" : std::string("the start of the data region")) +
                            " (the format requires tensors to tile the data region)");
    }
    expected = entry.end;
    previous = &item->first;
  }
  const std::uint64_t region = mapping->size() - data_start;
  if (expected != region) {
    fail("the data region has " + std::to_string(region) + " bytes but the tensors end at byte " +
         std::to_string(expected) + " (trailing bytes are not allowed)");
  }
}

void SafetensorsFile::Impl::parse() {
  if (has_pickle_extension(path)) refuse_pickle(path, "refusing a '" + path.extension().string() + "' file");
  mapping = MappedFile::open(path);
  const std::byte* bytes = mapping->data();
  const std::size_t size = mapping->size();
  if (starts_like_pickle(bytes, size)) refuse_pickle(path, "the file starts like a pickle/zip archive");
  if (size < 8) {
    fail("file is " + std::to_string(size) + " bytes, too short for the 8-byte header length (truncated?)");
  }
  std::uint64_t header_length = 0;
  std::memcpy(&header_length, bytes, 8);  // little-endian host, asserted above
  if (header_length > kMaxHeaderBytes) {
    fail("header length " + std::to_string(header_length) + " is absurd (limit " + std::to_string(kMaxHeaderBytes) +
         " bytes); not a safetensors file or corrupt");
  }
  if (header_length > size - 8) {
    fail("header length " + std::to_string(header_length) + " runs past the end of the file (" + std::to_string(size) +
         " bytes; truncated?)");
  }
  data_start = 8 + static_cast<std::size_t>(header_length);
  const auto* text = reinterpret_cast<const unsigned char*>(bytes + 8);
  if (const std::size_t bad = find_invalid_utf8(text, header_length); bad != std::string::npos) {
    fail("header is not valid UTF-8 (byte " + std::to_string(bad) + " of the header)");
  }
  const nlohmann::json json = parse_json(reinterpret_cast<const char*>(text), header_length);
  if (!json.is_object()) fail("header should be a JSON object, got " + std::string(json.type_name()));
  for (const auto& [name, value] : json.items()) {
    if (name == "__metadata__") {
      parse_metadata(value);
      continue;
    }
    Entry entry = parse_entry(name, value);
    header.tensors[name] = TensorInfo{std::string(entry.dtype->name), entry.shape};
    entries.emplace(name, std::move(entry));
  }
  check_tiling();
}

SafetensorsFile SafetensorsFile::open(const std::filesystem::path& file) {
  auto impl = std::make_shared<Impl>();
  impl->path = file;
  impl->parse();
  return SafetensorsFile(std::move(impl));
}

const std::filesystem::path& SafetensorsFile::path() const { return impl_->path; }
const Header& SafetensorsFile::header() const { return impl_->header; }
bool SafetensorsFile::contains(const std::string& name) const { return impl_->entries.count(name) != 0; }

namespace {

at::ScalarType target_type(const DtypeSpec& stored, const LoadOptions& options) {
  if (!at::isFloatingType(options.dtype)) {
    throw std::invalid_argument(std::string("LoadOptions::dtype must be a floating type, got ") +
                                c10::toString(options.dtype));
  }
  if (options.keep_stored_dtype) return stored.type;
  return at::isFloatingType(stored.type) ? options.dtype : stored.type;
}

bool aligned(const std::byte* data, std::size_t element_size) {
  return reinterpret_cast<std::uintptr_t>(data) % element_size == 0;
}

}  // namespace

bool SafetensorsFile::is_zero_copy(const std::string& name, const LoadOptions& options) const {
  const Entry& entry = impl_->entries.at(name);
  const std::byte* data = impl_->mapping->data() + impl_->data_start + entry.begin;
  return options.device.is_cpu() && target_type(*entry.dtype, options) == entry.dtype->type &&
         aligned(data, entry.dtype->size);
}

at::Tensor SafetensorsFile::load(const std::string& name, const LoadOptions& options) const {
  const auto found = impl_->entries.find(name);
  if (found == impl_->entries.end()) {
    throw std::out_of_range(impl_->path.string() + ": no tensor named '" + name + "'");
  }
  const Entry& entry = found->second;
  const at::ScalarType target = target_type(*entry.dtype, options);
  std::byte* data = impl_->mapping->data() + impl_->data_start + entry.begin;
  const std::size_t bytes = entry.end - entry.begin;
  if (entry.dtype->type == at::kBool) {
    // Any byte but 0/1 in a torch bool is undefined behaviour in kernels.
    for (std::size_t i = 0; i < bytes; ++i) {
      if (std::to_integer<unsigned>(data[i]) > 1) impl_->fail(name, "BOOL data holds a byte other than 0 or 1");
    }
  }
  const auto stored_options = at::TensorOptions().dtype(entry.dtype->type);
  at::Tensor stored;
  if (aligned(data, entry.dtype->size)) {
    // The deleter owns a reference to the mapping: the view keeps it alive.
    std::shared_ptr<MappedFile> keep = impl_->mapping;
    stored = at::from_blob(
        data, entry.shape, [keep](void*) mutable { keep.reset(); }, stored_options);
  } else {
    stored = at::empty(entry.shape, stored_options);
    if (bytes) std::memcpy(stored.data_ptr(), data, bytes);
  }
  at::Tensor result = target == entry.dtype->type ? stored : stored.to(target);
  if (!options.device.is_cpu()) result = result.to(options.device);
  return result;
}

StateDict load_safetensors(const std::filesystem::path& file, const LoadOptions& options) {
  const SafetensorsFile opened = SafetensorsFile::open(file);
  StateDict tensors;
  for (const auto& [name, info] : opened.header().tensors) {
    if (name.compare(0, options.prefix.size(), options.prefix) != 0) continue;
    tensors.emplace(name, opened.load(name, options));
  }
  return tensors;
}

Header read_safetensors_header(const std::filesystem::path& file) { return SafetensorsFile::open(file).header(); }

}  // namespace semdraw::io

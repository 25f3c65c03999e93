#!/usr/bin/env python3
"""Generate src/engine/text/unicode_tables.cpp: the Unicode data the CLIP tokenizer needs.

The engine must run without ICU, so the few Unicode properties that the
reference tokenizer (transformers' CLIPTokenizer, backed by HF `tokenizers`)
relies on are compiled in as compact range tables, taken from Python's
`unicodedata` (Unicode 14.0 with Python 3.11):

  White_Space   what `\\s` matches in the reference's regex engine (Oniguruma):
                Python's str.isspace() minus U+001C..U+001F (Python counts the
                information separators as spaces, Unicode's White_Space does not)
  letter        \\p{L}  = general categories Lu Ll Lt Lm Lo
  number        \\p{N}  = general categories Nd Nl No
  lowercase     per-character full lowercase mapping (Python chr(c).lower(),
                like Rust's char::to_lowercase: no context, so no final sigma)
  NFC           canonical combining classes, single-step canonical
                decompositions, and the primary composites (pairs that NFC
                recomposes; composition exclusions are left out)

The slow (pure Python) CLIPTokenizer of transformers 4.x used more (control,
punctuation, CJK ranges for BasicTokenizer); transformers 5 no longer has it,
and nothing here needs those categories.

Code points that Python's Unicode version leaves unassigned but a newer
Unicode assigns (CJK extension I, Egyptian hieroglyphs extension A, ...) take
their letter/number/space/lowercase answers from the reference itself (the
`tokenizers` library in .venv-ref, whose Rust crates carry a newer Unicode),
so the tables agree with the reference on every code point.
The reference's NFC, on the other hand, carries OLDER data than Python (the
`unicode-normalization-alignments` crate): marks added since then have
combining class 0 there (so they are neither reordered nor block composition),
and their decompositions are unknown. The NFC tables therefore keep Python's
data only where the reference applies it too (each combining class, each
decomposition and each composition is probed).

Run with --check to compare every code point against the installed `tokenizers`
library (the normaliser and the pre-tokeniser regex) and list disagreements.

Usage: .venv-ref/bin/python tests/reference/make_unicode_tables.py [--check]
"""
import pathlib
import sys
import unicodedata

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "src" / "engine" / "text" / "unicode_tables.cpp"
MAX_CP = 0x10FFFF
HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3


def code_points():
    for cp in range(MAX_CP + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue  # surrogates never reach the tables (UTF-8 decoding replaces them)
        yield cp


class Reference:
    """Per-code-point answers of the reference tokenizer's own Unicode data."""

    def __init__(self):
        from tokenizers import Regex, normalizers, pre_tokenizers
        self._lower = normalizers.Lowercase()
        self._nfc = normalizers.NFC()
        self._nfd = normalizers.NFD()
        self._space = normalizers.Replace(Regex(r"\s"), "")
        self._letter = pre_tokenizers.Split(Regex(r"\p{L}"), behavior="removed")
        self._number = pre_tokenizers.Split(Regex(r"\p{N}"), behavior="removed")

    def lower(self, c):
        return self._lower.normalize_str(c)

    def nfc(self, c):
        return self._nfc.normalize_str(c)

    def nfd(self, c):
        return self._nfd.normalize_str(c)

    def orders_mark(self, cp, cls):
        """Whether the reference's NFC reorders mark cp (class cls in Python's data)
        against U+0334 (class 1) or U+0301 (class 230); a class-0 mark never moves."""
        probe = "\u4e00" + chr(cp) + "\u0334" if cls > 1 else "\u4e00\u0301" + chr(cp)
        return self.nfc(probe) != probe

    def is_white_space(self, c):
        return self._space.normalize_str(c) == ""

    def is_letter(self, c):
        return self._letter.pre_tokenize_str(c) == []

    def is_number(self, c):
        return self._number.pre_tokenize_str(c) == []


REFERENCE = None  # set in generate()


def newer(cp):
    """True when Python's Unicode does not know cp and the reference should answer."""
    return REFERENCE is not None and unicodedata.category(chr(cp)) == "Cn"


def is_white_space(cp):
    if newer(cp):
        return REFERENCE.is_white_space(chr(cp))
    return chr(cp).isspace() and not (0x1C <= cp <= 0x1F)


def is_letter(cp):
    if newer(cp):
        return REFERENCE.is_letter(chr(cp))
    return unicodedata.category(chr(cp)).startswith("L")


def is_number(cp):
    if newer(cp):
        return REFERENCE.is_number(chr(cp))
    return unicodedata.category(chr(cp)).startswith("N")


def lowercase(cp):
    if newer(cp):
        return REFERENCE.lower(chr(cp))
    return chr(cp).lower()


def ranges(pred):
    out, start = [], None
    for cp in range(MAX_CP + 2):
        inside = cp <= MAX_CP and not (0xD800 <= cp <= 0xDFFF) and pred(cp)
        if inside and start is None:
            start = cp
        elif not inside and start is not None:
            out.append((start, cp - 1))
            start = None
    return out


def lowercase_tables():
    """Single-code-point mappings as runs (first, last, stride, delta), plus the
    few code points whose lowercase is several code points."""
    single, multi = [], []
    for cp in code_points():
        low = lowercase(cp)
        if low == chr(cp):
            continue
        if len(low) == 1:
            single.append((cp, ord(low) - cp))
        else:
            multi.append((cp, [ord(c) for c in low]))
    runs = []
    for cp, delta in single:
        if runs:
            first, last, stride, d = runs[-1]
            step = cp - last
            if d == delta and ((stride == 0 and step in (1, 2)) or step == stride):
                runs[-1] = (first, cp, step, d)
                continue
        runs.append((cp, cp, 0, delta))
    return [(f, l, max(s, 1), d) for f, l, s, d in runs], multi


def nfc_tables():
    ccc = {}
    decomp = {}
    for cp in code_points():
        c = chr(cp)
        cls = unicodedata.combining(c)
        if cls and (REFERENCE is None or REFERENCE.orders_mark(cp, cls)):
            ccc[cp] = cls
        if HANGUL_FIRST <= cp <= HANGUL_LAST:
            continue  # Hangul syllables are decomposed algorithmically
        d = unicodedata.decomposition(c)
        if REFERENCE is not None and REFERENCE.nfd(c) != unicodedata.normalize("NFD", c):
            continue  # a decomposition newer than the reference's data
        if d and not d.startswith("<"):
            parts = [int(x, 16) for x in d.split()]
            assert 1 <= len(parts) <= 2, (hex(cp), d)
            decomp[cp] = parts
    ccc_runs = []
    for cp in sorted(ccc):
        if ccc_runs and ccc_runs[-1][1] == cp - 1 and ccc_runs[-1][2] == ccc[cp]:
            ccc_runs[-1] = (ccc_runs[-1][0], cp, ccc[cp])
        else:
            ccc_runs.append((cp, cp, ccc[cp]))
    # A pair composes back only if the composite survives NFC itself (this
    # drops composition exclusions, singletons and non-starter decompositions).
    compositions = sorted(
        (parts[0], parts[1], cp) for cp, parts in decomp.items()
        if len(parts) == 2 and unicodedata.normalize("NFC", chr(cp)) == chr(cp)
        and (REFERENCE is None or REFERENCE.nfc(unicodedata.normalize("NFD", chr(cp))) == chr(cp)))
    return ccc_runs, sorted(decomp.items()), compositions


def emit_rows(rows, per_line):
    lines = []
    for i in range(0, len(rows), per_line):
        lines.append("    " + " ".join(rows[i:i + per_line]))
    return "\n".join(lines)


def generate():
    global REFERENCE
    REFERENCE = Reference()
    white = ranges(is_white_space)
    letters = ranges(is_letter)
    numbers = ranges(is_number)
    low_runs, low_multi = lowercase_tables()
    ccc_runs, decomp, compositions = nfc_tables()

    def range_rows(rs):
        return emit_rows([f"{{0x{a:X}, 0x{b:X}}}," for a, b in rs], 6)

    parts = [
        "// GENERATED by tests/reference/make_unicode_tables.py from Python's unicodedata",
        f"// (Unicode {unicodedata.unidata_version}); code points unassigned there follow the reference",
        "// tokenizer (HF tokenizers). Do not edit: re-run the script.",
        "// clang-format off",
        '#include "text/unicode_tables.h"',
        "",
        "namespace semdraw::text::tables {",
        "",
        f"const CodeRange kWhiteSpace[] = {{\n{range_rows(white)}\n}};",
        f"const std::size_t kWhiteSpaceCount = {len(white)};",
        "",
        f"const CodeRange kLetters[] = {{\n{range_rows(letters)}\n}};",
        f"const std::size_t kLettersCount = {len(letters)};",
        "",
        f"const CodeRange kNumbers[] = {{\n{range_rows(numbers)}\n}};",
        f"const std::size_t kNumbersCount = {len(numbers)};",
        "",
        "const LowercaseRun kLowercaseRuns[] = {\n" + emit_rows(
            [f"{{0x{f:X}, 0x{l:X}, {s}, {d}}}," for f, l, s, d in low_runs], 4) + "\n};",
        f"const std::size_t kLowercaseRunsCount = {len(low_runs)};",
        "",
        "const LowercaseMulti kLowercaseMulti[] = {\n" + emit_rows(
            [f"{{0x{cp:X}, {{{', '.join(f'0x{x:X}' for x in m + [0] * (3 - len(m)))}}}}},"
             for cp, m in low_multi], 3) + "\n};",
        f"const std::size_t kLowercaseMultiCount = {len(low_multi)};",
        "",
        "const CombiningClassRun kCombiningClasses[] = {\n" + emit_rows(
            [f"{{0x{a:X}, 0x{b:X}, {c}}}," for a, b, c in ccc_runs], 5) + "\n};",
        f"const std::size_t kCombiningClassesCount = {len(ccc_runs)};",
        "",
        "const Decomposition kDecompositions[] = {\n" + emit_rows(
            [f"{{0x{cp:X}, 0x{p[0]:X}, 0x{(p[1] if len(p) > 1 else 0):X}}},"
             for cp, p in decomp], 4) + "\n};",
        f"const std::size_t kDecompositionsCount = {len(decomp)};",
        "",
        "const Composition kCompositions[] = {\n" + emit_rows(
            [f"{{0x{a:X}, 0x{b:X}, 0x{c:X}}}," for a, b, c in compositions], 4) + "\n};",
        f"const std::size_t kCompositionsCount = {len(compositions)};",
        "",
        "}  // namespace semdraw::text::tables",
        "",
    ]
    OUT.write_text("\n".join(parts), encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes): {len(white)} space, {len(letters)} letter, "
          f"{len(numbers)} number ranges, {len(low_runs)}+{len(low_multi)} lowercase, "
          f"{len(ccc_runs)} ccc runs, {len(decomp)} decompositions, {len(compositions)} compositions")


def check():
    """Compare the generated tables' sources with the installed `tokenizers` for every code point."""
    global REFERENCE
    reference = Reference()
    REFERENCE = reference
    mismatches = {"lowercase": [], "nfc": [], "ccc": [], "space": [], "letter": [], "number": []}
    ccc = {a for first, last, _ in nfc_tables()[0] for a in range(first, last + 1)}
    for cp in code_points():
        c = chr(cp)
        if reference.lower(c) != lowercase(cp):
            mismatches["lowercase"].append(cp)
        if reference.nfc(c) != unicodedata.normalize("NFC", c):
            mismatches["nfc"].append(cp)
        cls = unicodedata.combining(c)
        if cls and reference.orders_mark(cp, cls) != (cp in ccc):
            mismatches["ccc"].append(cp)
        if reference.is_white_space(c) != is_white_space(cp):
            mismatches["space"].append(cp)
        if reference.is_letter(c) != is_letter(cp):
            mismatches["letter"].append(cp)
        if reference.is_number(c) != is_number(cp):
            mismatches["number"].append(cp)
    for name, cps in mismatches.items():
        print(f"{name}: {len(cps)} code points differ; first: {[hex(c) for c in cps[:12]]}")


if __name__ == "__main__":
    if "--check" in sys.argv:
        check()
    else:
        generate()

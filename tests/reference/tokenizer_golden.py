#!/usr/bin/env python3
"""Goldens for the C++ CLIP tokenizer (tests/parity/clip_tokenizer_parity_test.cpp).

Reads tests/data/tokenizer/corpus.json and writes tests/data/tokenizer/golden.json:
for every text, the ids of

    CLIPTokenizer.from_pretrained("resources/clip")(text, padding="max_length",
                                                    max_length=77, truncation=True).input_ids

(the call diffusers' Stable Diffusion pipelines make) and the untruncated ids
without special tokens (encode(text, add_special_tokens=False)). Invalid UTF-8
cases are decoded with errors="replace" first, the behaviour the C++ tokenizer
promises. 600 seeded random strings (random_texts) add untruncated ids for
inputs nobody would think of writing by hand. The SD2-style cases use resources/clip's vocabulary with the configs
in tests/data/tokenizer/sd2_config/ (pad token "!"), which this script writes.

Reference: transformers 5.x, whose CLIPTokenizer is backed by HF `tokenizers`
(NFC, whitespace runs -> " ", lowercase; the CLIP regex; byte-level BPE). It
never uses ftfy; the pure-Python CLIPTokenizer of transformers 4.x did when
ftfy was installed. To make sure no ftfy code path is taken, ftfy is blocked
from being imported in this process (it stays installed: open_clip needs it).

Usage: .venv-ref/bin/python tests/reference/tokenizer_golden.py
"""
import json
import pathlib
import random
import shutil
import sys
import tempfile
import unicodedata

sys.modules["ftfy"] = None  # any "import ftfy" now raises ImportError

import tokenizers  # noqa: E402
import transformers  # noqa: E402
from transformers import CLIPTokenizer  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "tokenizer"
VOCAB_DIR = ROOT / "resources" / "clip"
MAX_LENGTH = 77

# SD2.x tokenizer folders: same vocabulary, special_tokens_map.json pads with "!".
SD2_TOKENIZER_CONFIG = {
    "add_prefix_space": False,
    "bos_token": {"__type": "AddedToken", "content": "<|startoftext|>", "lstrip": False,
                  "normalized": True, "rstrip": False, "single_word": False},
    "do_lower_case": True,
    "eos_token": {"__type": "AddedToken", "content": "<|endoftext|>", "lstrip": False,
                  "normalized": True, "rstrip": False, "single_word": False},
    "errors": "replace",
    "model_max_length": 77,
    "pad_token": "<|endoftext|>",
    "tokenizer_class": "CLIPTokenizer",
    "unk_token": {"__type": "AddedToken", "content": "<|endoftext|>", "lstrip": False,
                  "normalized": True, "rstrip": False, "single_word": False},
}
SD2_SPECIAL_TOKENS_MAP = {
    "bos_token": {"content": "<|startoftext|>", "lstrip": False, "normalized": True, "rstrip": False,
                  "single_word": False},
    "eos_token": {"content": "<|endoftext|>", "lstrip": False, "normalized": True, "rstrip": False,
                  "single_word": False},
    "pad_token": "!",
    "unk_token": {"content": "<|endoftext|>", "lstrip": False, "normalized": True, "rstrip": False,
                  "single_word": False},
}


def random_texts(count, seed=1234):
    """Seeded random strings that stress normalisation and pre-tokenisation: mixes of
    ASCII, combining marks (in any order), decomposed and precomposed characters,
    Hangul jamo, many scripts, emoji with ZWJ/skin tones, odd spaces, contractions,
    special-token spellings and arbitrary code points (also unassigned ones)."""
    rng = random.Random(seed)
    valid = lambda c: not 0xD800 <= c <= 0xDFFF
    marks = [chr(c) for c in range(0x110000) if valid(c) and unicodedata.combining(chr(c))]
    decomposable = [chr(c) for c in range(0x110000) if valid(c) and unicodedata.decomposition(chr(c))
                    and not unicodedata.decomposition(chr(c)).startswith("<")]
    span = lambda a, b: [chr(c) for c in range(a, b) if valid(c)]
    pools = [
        span(0x20, 0x7F) * 3, marks, decomposable, [unicodedata.normalize("NFD", c) for c in decomposable],
        span(0x1100, 0x1200) + span(0xAC00, 0xAC40), span(0x370, 0x530), span(0x590, 0x700) + span(0x900, 0x980),
        span(0x1E00, 0x2000), span(0x2000, 0x2070) + list("\t\n\r\x0b\x0c\x85\xa0\u3000\x1c"),
        span(0x1F300, 0x1F700) + ["\u200d", "\ufe0f"] + span(0x1F3FB, 0x1F400),
        span(0x4E00, 0x4F00) + span(0x3040, 0x3100), span(0xF900, 0xFB50),
        ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'LL", "<|endoftext|>", "<|startoftext|>",
         "<|ENDOFTEXT|>", "<|STARTOFTEXT|>", "\u0130", "\u03a3", "\u1e9e"],
        [chr(c) for c in (rng.randrange(0x80, 0x30000) for _ in range(4000)) if valid(c)],
    ]
    texts = []
    for _ in range(count):
        chosen = rng.sample(range(len(pools)), rng.randrange(1, 4))
        texts.append("".join(rng.choice(pools[rng.choice(chosen)]) for _ in range(rng.randrange(1, 25))))
    return texts


def padded(tok, text):
    return tok(text, padding="max_length", max_length=MAX_LENGTH, truncation=True).input_ids


def main():
    assert "ftfy" not in sys.modules or sys.modules["ftfy"] is None
    corpus = json.loads((DATA / "corpus.json").read_text(encoding="utf-8"))
    tok = CLIPTokenizer.from_pretrained(VOCAB_DIR)
    assert tok.pad_token_id == 49407 and tok.model_max_length == MAX_LENGTH

    cases = [{"text": t, "ids": padded(tok, t), "encode": tok.encode(t, add_special_tokens=False)}
             for t in corpus["texts"]]
    random_cases = [{"text": t, "encode": tok.encode(t, add_special_tokens=False)} for t in random_texts(600)]
    invalid = []
    for hex_bytes in corpus["invalid_utf8"]:
        text = bytes.fromhex(hex_bytes).decode("utf-8", errors="replace")
        invalid.append({"hex": hex_bytes, "decoded": text, "ids": padded(tok, text)})

    sd2_dir = DATA / "sd2_config"
    sd2_dir.mkdir(exist_ok=True)
    (sd2_dir / "tokenizer_config.json").write_text(json.dumps(SD2_TOKENIZER_CONFIG, indent=2) + "\n")
    (sd2_dir / "special_tokens_map.json").write_text(json.dumps(SD2_SPECIAL_TOKENS_MAP, indent=2) + "\n")
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("vocab.json", "merges.txt"):
            shutil.copy(VOCAB_DIR / name, tmp)
        for name in ("tokenizer_config.json", "special_tokens_map.json"):
            shutil.copy(sd2_dir / name, tmp)
        sd2 = CLIPTokenizer.from_pretrained(tmp)
        assert sd2.pad_token_id == 0, sd2.pad_token_id
        sd2_cases = [{"text": t, "ids": padded(sd2, t)} for t in corpus["sd2_texts"]]

    golden = {
        "reference": {"transformers": transformers.__version__, "tokenizers": tokenizers.__version__,
                      "ftfy": "blocked", "call": "tokenizer(text, padding='max_length', max_length=77, "
                                                 "truncation=True).input_ids"},
        "max_length": MAX_LENGTH,
        "cases": cases,
        "random_cases": random_cases,
        "invalid_utf8": invalid,
        "sd2": {"pad_id": 0, "cases": sd2_cases},
    }
    out = DATA / "golden.json"
    out.write_text(json.dumps(golden, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size} bytes): {len(cases)} texts, {len(invalid)} invalid UTF-8, "
          f"{len(sd2_cases)} SD2 cases, {len(random_cases)} random texts")


if __name__ == "__main__":
    main()

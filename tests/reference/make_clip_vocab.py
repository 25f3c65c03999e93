#!/usr/bin/env python3
"""Build the real CLIP BPE vocabulary (resources/clip/) without a model hub.

The standard CLIP tokenizer (openai/clip-vit-large-patch14 `tokenizer/`, used by
every SD1.x model) is fully determined by OpenAI's merges list, which ships
inside the PyPI package open_clip_torch as `bpe_simple_vocab_16e6.txt.gz`.
CLIP builds its vocabulary from it in a fixed order, reproduced here:

  ids     0..255   the 256 byte-level characters (GPT-2's bytes_to_unicode order)
  ids   256..511   the same characters with the end-of-word suffix "</w>"
  ids   512..49405 the concatenation of each of the first 48894 merges, in rank order
  ids 49406, 49407 "<|startoftext|>", "<|endoftext|>"

Outputs (overwritten):
  resources/clip/vocab.json              token -> id (49408 entries)
  resources/clip/merges.txt              "#version: 0.2" + the 48894 merges
  resources/clip/tokenizer_config.json   SD1.5 settings (pad = <|endoftext|>, 77 tokens)
  resources/clip/special_tokens_map.json

Usage: .venv-ref/bin/python tests/reference/make_clip_vocab.py
The script checks a few ids known from the published vocabulary and fails if
any differs.
"""
import gzip
import json
import pathlib
import sys

import importlib.util

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "resources" / "clip"
MERGE_COUNT = 49152 - 256 - 2  # CLIP keeps this many merges of the list (48894)
BOS, EOS = "<|startoftext|>", "<|endoftext|>"


def byte_level_chars():
    """GPT-2/CLIP bytes_to_unicode: printable bytes map to themselves, the rest to 256+n."""
    printable = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
                 + list(range(ord("®"), ord("ÿ") + 1)))
    bytes_order = printable[:]
    chars = printable[:]
    extra = 0
    for b in range(256):
        if b not in printable:
            bytes_order.append(b)
            chars.append(256 + extra)
            extra += 1
    return [chr(c) for c in chars]


def main():
    # Located without importing open_clip (whose import pulls in torch and ftfy).
    spec = importlib.util.find_spec("open_clip")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("open_clip_torch is not installed (see tests/reference/requirements.txt)")
    merges_path = pathlib.Path(spec.submodule_search_locations[0]) / "bpe_simple_vocab_16e6.txt.gz"
    lines = gzip.open(merges_path).read().decode("utf-8").split("\n")
    # Line 0 is a version header; CLIP uses lines 1..MERGE_COUNT.
    merges = [tuple(line.split()) for line in lines[1:MERGE_COUNT + 1]]
    assert len(merges) == MERGE_COUNT and all(len(m) == 2 for m in merges), merges_path

    chars = byte_level_chars()
    tokens = chars + [c + "</w>" for c in chars] + ["".join(m) for m in merges] + [BOS, EOS]
    vocab = {t: i for i, t in enumerate(tokens)}
    assert len(vocab) == 49408, "duplicate tokens in the constructed vocabulary"

    known = {"a</w>": 320, "photo</w>": 1125, "of</w>": 539, "cat</w>": 2368, "!": 0,
             BOS: 49406, EOS: 49407}
    for token, expected in known.items():
        if vocab[token] != expected:
            sys.exit(f"vocab check failed: {token!r} -> {vocab[token]}, expected {expected}")

    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "vocab.json", "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False, separators=(",", ":"))
    with open(OUT / "merges.txt", "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n")
        f.write("\n".join(" ".join(m) for m in merges))
        f.write("\n")

    # The settings of the SD1.5 tokenizer folder: pad with <|endoftext|>, 77 tokens.
    added = lambda content: {"__type": "AddedToken", "content": content, "lstrip": False,
                             "normalized": True, "rstrip": False, "single_word": False}
    config = {
        "add_prefix_space": False,
        "bos_token": added(BOS),
        "do_lower_case": True,
        "eos_token": added(EOS),
        "errors": "replace",
        "model_max_length": 77,
        "pad_token": EOS,
        "tokenizer_class": "CLIPTokenizer",
        "unk_token": added(EOS),
    }
    special = {
        "bos_token": {k: v for k, v in added(BOS).items() if k != "__type"},
        "eos_token": {k: v for k, v in added(EOS).items() if k != "__type"},
        "pad_token": EOS,
        "unk_token": {k: v for k, v in added(EOS).items() if k != "__type"},
    }
    for name, obj in (("tokenizer_config.json", config), ("special_tokens_map.json", special)):
        with open(OUT / name, "w", encoding="utf-8") as f:
            json.dump(obj, f, indent=2)
            f.write("\n")
    print(f"wrote {OUT}: {len(vocab)} tokens, {len(merges)} merges")


if __name__ == "__main__":
    main()

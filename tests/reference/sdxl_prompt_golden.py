"""Golden for SDXL's prompt encoding (tests/parity/sdxl_prompt_parity_test.cpp):
diffusers' StableDiffusionXLPipeline.encode_prompt on the tiny SDXL model our
make-model writes (a pure function of preset and seed, so the C++ test makes
the same one).

Run:
  build/bin/semdraw-cli make-model --preset tiny-sdxl --seed 3 --out /tmp/tiny-sdxl-seed3
  .venv-ref/bin/python tests/reference/sdxl_prompt_golden.py /tmp/tiny-sdxl-seed3
Writes tests/data/sdxl_prompt/{prompts.json,golden.safetensors}.
"""
import json
import os
import pathlib
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402
from diffusers import StableDiffusionXLPipeline  # noqa: E402
from safetensors.torch import save_file  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parents[1] / "data" / "sdxl_prompt"

CASES = [
    ("a red eagle, wings spread", None),
    ("", None),  # the empty prompt still goes through both encoders here (zeros are a pipeline choice)
    ("snowy mountains at dawn, (detailed:1.2), 4k", None),
    ("a lighthouse on a rock " * 12, None),  # longer than 77 tokens: truncated
    ("a field of sunflowers", 1),  # clip_skip 1: hidden_states[-3]
]


def main() -> None:
    folder = pathlib.Path(sys.argv[1])
    pipe = StableDiffusionXLPipeline.from_pretrained(folder, local_files_only=True)
    OUT.mkdir(parents=True, exist_ok=True)
    tensors, cases = {}, []
    with torch.no_grad():
        for i, (prompt, clip_skip) in enumerate(CASES):
            embeds, _, pooled, _ = pipe.encode_prompt(prompt, device="cpu", num_images_per_prompt=1,
                                                      do_classifier_free_guidance=False, clip_skip=clip_skip)
            tensors[f"{i}.embeds"] = embeds.contiguous()
            tensors[f"{i}.pooled"] = pooled.contiguous()
            cases.append({"prompt": prompt, "clip_skip": clip_skip or 0})
            print(f"{i}: embeds {tuple(embeds.shape)} std {embeds.std():.4f}, pooled {tuple(pooled.shape)}")
    save_file(tensors, str(OUT / "golden.safetensors"))
    (OUT / "prompts.json").write_text(json.dumps({"model": "make-model --preset tiny-sdxl --seed 3", "cases": cases},
                                                 indent=2) + "\n")


if __name__ == "__main__":
    main()

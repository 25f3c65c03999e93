"""Proves the reference libraries accept what `semdraw-cli make-model` writes.

Usage:
  semdraw-cli make-model --preset tiny --seed 7 --out DIR [--single-file S] [--lora L]
  .venv-ref/bin/python tests/reference/load_made_model.py DIR [--single-file S] [--lora L]

Checks, offline (no hub access):
  * StableDiffusionPipeline.from_pretrained(DIR) loads every component with no
    missing / unexpected / mismatched weights, and the loaded values equal the files;
  * AutoencoderTiny.from_pretrained(DIR/taesd) likewise;
  * one LCM inference step at 64x64 runs and gives a finite image; TAESD decodes the latent;
  * --lora: pipe.load_lora_weights(L) accepts the keys and changes the UNet output;
  * --single-file: from_single_file(S, config=DIR) gives the same weights as the folder;
  * an SDXL folder (make-model --preset tiny-sdxl): also text_encoder_2 (CLIPTextModelWithProjection)
    and tokenizer_2 (padding with "!"), loaded by StableDiffusionXLPipeline, one LCM step.
Exits non-zero on the first failure.
"""
import argparse
import os
import pathlib

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch  # noqa: E402
import json  # noqa: E402

from diffusers import (AutoencoderKL, AutoencoderTiny, StableDiffusionPipeline,  # noqa: E402
                       StableDiffusionXLPipeline, UNet2DConditionModel)
from safetensors.torch import load_file  # noqa: E402
from transformers import CLIPTextModel, CLIPTextModelWithProjection  # noqa: E402


def check_loading_info(name, info):
    problems = {k: v for k, v in info.items() if k in ("missing_keys", "unexpected_keys", "mismatched_keys") and v}
    assert not problems, f"{name}: {problems}"
    print(f"{name}: all weights matched")


def check_values(name, model, file, prefix=""):
    state = load_file(file)
    params = dict(model.named_parameters())
    compared = 0
    for key, value in state.items():
        target = params.get(key[len(prefix):]) if key.startswith(prefix) else None
        if target is None:
            # transformers >= 5.6 drops the "text_model." level in its own names.
            target = params.get(key.replace("text_model.", "", 1))
        assert target is not None, f"{name}: file tensor {key} is not a parameter of the loaded model"
        assert torch.equal(target.detach().to(value.dtype), value), f"{name}: {key} differs after loading"
        compared += 1
    assert compared == len(params), f"{name}: {compared} tensors in the file, model has {len(params)} parameters"
    print(f"{name}: {compared} tensors equal to the file")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=pathlib.Path)
    parser.add_argument("--single-file", type=pathlib.Path)
    parser.add_argument("--lora", type=pathlib.Path)
    args = parser.parse_args()
    folder = args.folder

    # Component by component first, to see loading info (pipeline loading only warns).
    unet, info = UNet2DConditionModel.from_pretrained(folder / "unet", output_loading_info=True)
    check_loading_info("unet", info)
    check_values("unet", unet, folder / "unet/diffusion_pytorch_model.safetensors")
    vae, info = AutoencoderKL.from_pretrained(folder / "vae", output_loading_info=True)
    check_loading_info("vae", info)
    check_values("vae", vae, folder / "vae/diffusion_pytorch_model.safetensors")
    text, info = CLIPTextModel.from_pretrained(folder / "text_encoder", output_loading_info=True)
    check_loading_info("text_encoder", info)
    check_values("text_encoder", text, folder / "text_encoder/model.safetensors")
    sdxl = json.loads((folder / "model_index.json").read_text())["_class_name"] == "StableDiffusionXLPipeline"
    if sdxl:
        text2, info = CLIPTextModelWithProjection.from_pretrained(folder / "text_encoder_2", output_loading_info=True)
        check_loading_info("text_encoder_2", info)
        check_values("text_encoder_2", text2, folder / "text_encoder_2/model.safetensors")
    taesd, info = AutoencoderTiny.from_pretrained(folder / "taesd", output_loading_info=True)
    check_loading_info("taesd", info)
    check_values("taesd", taesd, folder / "taesd/diffusion_pytorch_model.safetensors")

    pipeline_class = StableDiffusionXLPipeline if sdxl else StableDiffusionPipeline
    pipe = pipeline_class.from_pretrained(folder, local_files_only=True, torch_dtype=torch.float32)
    if sdxl:
        pad = pipe.tokenizer_2.pad_token
        assert pad == "!", f"tokenizer_2 pads with {pad!r}, SDXL's pads with '!'"
        print("tokenizer_2: pads with '!' (id", pipe.tokenizer_2.pad_token_id, ")")
    print("pipeline:", type(pipe).__name__, "scheduler:", type(pipe.scheduler).__name__,
          "tokenizer vocab:", pipe.tokenizer.vocab_size, "vae scale factor:", pipe.vae_scale_factor)
    size = 8 * pipe.unet.config.sample_size
    generator = torch.Generator().manual_seed(0)
    result = pipe("a red eagle", num_inference_steps=1, guidance_scale=1.0, height=size, width=size,
                  generator=generator, output_type="latent")
    latents = result.images
    with torch.no_grad():
        image = pipe.vae.decode(latents / pipe.vae.config.scaling_factor).sample
        preview = taesd.decode(latents).sample
    assert torch.isfinite(image).all() and torch.isfinite(preview).all()
    print(f"one LCM step: latents {tuple(latents.shape)} std {latents.std():.3f}; "
          f"vae image {tuple(image.shape)}; taesd image {tuple(preview.shape)}")

    if args.lora:
        sample = torch.randn(1, 4, 8, 8, generator=torch.Generator().manual_seed(1))
        context = torch.randn(1, 77, pipe.unet.config.cross_attention_dim, generator=torch.Generator().manual_seed(2))
        with torch.no_grad():
            before = pipe.unet(sample, 500, context).sample
        pipe.load_lora_weights(str(args.lora))
        with torch.no_grad():
            after = pipe.unet(sample, 500, context).sample
        change = (after - before).abs().max().item()
        assert change > 1e-4, "the LoRA did not change the UNet output: its keys were probably ignored"
        print(f"lora: loaded by load_lora_weights, UNet output changed by up to {change:.4f}")

    if args.single_file:
        single = StableDiffusionPipeline.from_single_file(str(args.single_file), config=str(folder),
                                                          local_files_only=True, torch_dtype=torch.float32)
        folder_pipe = StableDiffusionPipeline.from_pretrained(folder, local_files_only=True)  # without the LoRA
        for name in ("unet", "vae", "text_encoder"):
            ours = getattr(folder_pipe, name).state_dict()
            theirs = getattr(single, name).state_dict()
            diff = [k for k in ours if k in theirs and not torch.equal(ours[k], theirs[k])]
            missing = [k for k in ours if k not in theirs and "position_ids" not in k]
            assert not diff and not missing, f"single file {name}: differing {diff[:3]} missing {missing[:3]}"
            print(f"single file: {name} identical to the folder ({len(ours)} tensors)")
    print("OK")


if __name__ == "__main__":
    main()

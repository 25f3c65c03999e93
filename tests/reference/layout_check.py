#!/usr/bin/env python3
"""Parity of our checkpoint layout mapping with real diffusers/transformers.

Two steps, because diffusers ships only the original -> diffusers direction
(its diffusers -> original script lives in the diffusers repository, not in
the package):

  make     Builds a tiny UNet2DConditionModel, AutoencoderKL and CLIPTextModel
           with seeded random weights and saves them as a diffusers folder in
           tests/data/io/tiny_sd/ (what our C++ reads with load_diffusers_folder).

  check F  F is the original-layout single file that our C++ wrote from that
           folder (canonical_to_original + save_safetensors; the parity test
           checkpoint_layout_parity_test writes it to
           <build>/io_parity/tiny_sd_original.safetensors). It is converted back
           with diffusers' own code -- UNet2DConditionModel/AutoencoderKL
           .from_single_file(config=folder) and the LDM CLIP converter -- and
           every tensor must equal the folder's bit for bit, with no key of F
           left unused. On success F is copied to
           tests/data/io/tiny_sd_original.safetensors (the C++ parity test then
           pins our output to this diffusers-verified file) and the result is
           recorded in tests/data/io/layout_check.json.

  names    Writes tests/data/io/sd15_layout_names.json: the canonical names of
           the real SD1.5 networks (diffusers UNet/VAE and transformers CLIP
           built on the meta device, so no memory) and their configs.
  check-names F
           F is the single file our C++ wrote from those names (every tensor
           [1,1] holding its index; checkpoint_layout_parity_test writes
           <build>/io_parity/sd15_names_original.safetensors). diffusers'
           converters must turn it back into exactly the SD1.5 names, each
           holding its own index. On success the verified original names are
           stored in tests/data/io/sd15_layout_names.json ("original") and the
           verdict in layout_check.json ("sd15_names").

Run from the repository root with the reference environment:
  .venv-ref/bin/python tests/reference/layout_check.py make
  build-X/bin/engine_parity_tests --gtest_filter='CheckpointLayoutParity.*'
  .venv-ref/bin/python tests/reference/layout_check.py check build-X/io_parity/tiny_sd_original.safetensors
  .venv-ref/bin/python tests/reference/layout_check.py names
  build-X/bin/engine_parity_tests --gtest_filter='CheckpointLayoutParity.*'
  .venv-ref/bin/python tests/reference/layout_check.py check-names build-X/io_parity/sd15_names_original.safetensors
"""
import argparse
import json
import pathlib
import shutil
import sys

import torch
from safetensors.torch import load_file

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "io"
FOLDER = DATA / "tiny_sd"

# Small but SD1.5-shaped: 3 levels with cross-attention on all but the lowest
# resolution (SD1.5 has 4 with the same pattern), 2 resnets per level, channel
# changes so that conv shortcuts exist, a VAE with 3 levels.
UNET_CONFIG = dict(
    sample_size=8,
    in_channels=4,
    out_channels=4,
    block_out_channels=(8, 16, 16),
    layers_per_block=2,
    down_block_types=("CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"),
    up_block_types=("UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"),
    cross_attention_dim=16,
    attention_head_dim=2,
    norm_num_groups=4,
)
VAE_CONFIG = dict(
    in_channels=3,
    out_channels=3,
    block_out_channels=(8, 16, 16),
    down_block_types=("DownEncoderBlock2D",) * 3,
    up_block_types=("UpDecoderBlock2D",) * 3,
    layers_per_block=2,
    latent_channels=4,
    norm_num_groups=4,
    sample_size=32,
)
CLIP_CONFIG = dict(
    vocab_size=1000,
    hidden_size=16,
    intermediate_size=32,
    num_hidden_layers=2,
    num_attention_heads=2,
    max_position_embeddings=77,
    hidden_act="quick_gelu",
    bos_token_id=998,
    eos_token_id=999,
    pad_token_id=999,
)


def randomise(module, seed):
    # Every tensor distinct and non-trivial, so a misrouted weight shows.
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for _, parameter in sorted(module.named_parameters()):
            parameter.copy_(torch.randn(parameter.shape, generator=generator) * 0.1)
    return module


def make():
    from diffusers import AutoencoderKL, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel

    if FOLDER.exists():
        shutil.rmtree(FOLDER)
    FOLDER.mkdir(parents=True)
    # fp16 halves the committed size; the mapping does not care about dtype.
    randomise(UNet2DConditionModel(**UNET_CONFIG), 1).half().save_pretrained(FOLDER / "unet")
    randomise(AutoencoderKL(**VAE_CONFIG), 2).half().save_pretrained(FOLDER / "vae")
    randomise(CLIPTextModel(CLIPTextConfig(**CLIP_CONFIG)), 3).half().save_pretrained(FOLDER / "text_encoder")
    (FOLDER / "model_index.json").write_text(
        json.dumps({"_class_name": "StableDiffusionPipeline", "note": "tiny random model for layout tests"}, indent=2)
        + "\n"
    )
    total = sum(p.stat().st_size for p in FOLDER.rglob("*") if p.is_file())
    print(f"wrote {FOLDER} ({total} bytes)")


def compare(name, expected, actual, report):
    """Bit-exact comparison of two state dicts; records problems in report."""
    missing = sorted(set(expected) - set(actual))
    unexpected = sorted(set(actual) - set(expected))
    mismatched = []
    max_abs = 0.0
    for key in sorted(set(expected) & set(actual)):
        a, b = expected[key], actual[key]
        if a.shape != b.shape:
            mismatched.append(f"{key}: shape {list(b.shape)} vs {list(a.shape)}")
            continue
        difference = (a.float() - b.float()).abs().max().item() if a.numel() else 0.0
        max_abs = max(max_abs, difference)
        if difference != 0.0:
            mismatched.append(f"{key}: max abs diff {difference}")
    report[name] = dict(
        tensors=len(expected),
        missing=missing[:10],
        unexpected=unexpected[:10],
        mismatched=mismatched[:10],
        max_abs_diff=max_abs,
        ok=not (missing or unexpected or mismatched),
    )


def check(single_file):
    from diffusers import AutoencoderKL, UNet2DConditionModel
    from diffusers.loaders import single_file_utils as sfu
    from transformers import CLIPTextModel
    import diffusers
    import transformers

    single_file = pathlib.Path(single_file)
    checkpoint = load_file(single_file)
    report = dict(
        diffusers=diffusers.__version__,
        transformers=transformers.__version__,
        torch=torch.__version__,
        single_file_tensors=len(checkpoint),
    )

    folder_unet = load_file(FOLDER / "unet" / "diffusion_pytorch_model.safetensors")
    folder_vae = load_file(FOLDER / "vae" / "diffusion_pytorch_model.safetensors")
    folder_text = load_file(FOLDER / "text_encoder" / "model.safetensors")

    # 1. diffusers' converter functions on the raw state dict: also tells us
    #    which keys of the single file they consumed.
    unet_config = json.loads((FOLDER / "unet" / "config.json").read_text())
    vae_config = json.loads((FOLDER / "vae" / "config.json").read_text())
    unet = sfu.convert_ldm_unet_checkpoint(checkpoint, unet_config)
    vae = sfu.convert_ldm_vae_checkpoint(checkpoint, vae_config)
    text = sfu.convert_ldm_clip_checkpoint(checkpoint)
    # transformers >= 5.6 names CLIPTextModel weights without "text_model.".
    text = {k.removeprefix("text_model."): v for k, v in text.items()}
    compare("unet_converter", folder_unet, unet, report)
    compare("vae_converter", folder_vae, vae, report)
    compare("text_encoder_converter", folder_text, text, report)

    # Keys of the single file that diffusers' converters did not read: the
    # converters pick keys by prefix, so count the ones under each prefix.
    unused = [
        k
        for k in checkpoint
        if not k.startswith(("model.diffusion_model.", "first_stage_model.", "cond_stage_model.transformer."))
    ]
    report["keys_outside_the_three_networks"] = unused[:10]

    # 2. The public entry points, offline, with the folder as config.
    unet_model = UNet2DConditionModel.from_single_file(
        str(single_file), config=str(FOLDER), subfolder="unet", local_files_only=True, torch_dtype=torch.float16
    )
    vae_model = AutoencoderKL.from_single_file(
        str(single_file), config=str(FOLDER), subfolder="vae", local_files_only=True, torch_dtype=torch.float16
    )
    text_model = sfu.create_diffusers_clip_model_from_ldm(
        CLIPTextModel,
        checkpoint,
        config=str(FOLDER),
        subfolder="text_encoder",
        local_files_only=True,
        torch_dtype=torch.float16,
    )
    compare("unet_from_single_file", folder_unet, unet_model.state_dict(), report)
    compare("vae_from_single_file", folder_vae, vae_model.state_dict(), report)
    text_state = {k: v for k, v in text_model.state_dict().items() if not k.endswith("position_ids")}
    compare("text_encoder_from_single_file", folder_text, text_state, report)

    # Every tensor of the single file must have become exactly one tensor of
    # the three networks (none dropped, none duplicated).
    report["converted_tensors"] = len(unet) + len(vae) + len(text)
    ok = (
        all(v["ok"] for v in report.values() if isinstance(v, dict))
        and not unused
        and report["converted_tensors"] == len(checkpoint)
    )
    report["ok"] = ok
    print(json.dumps(report, indent=2))
    previous = DATA / "layout_check.json"
    if previous.exists():  # keep the SD1.5 names verdict of check-names
        earlier = json.loads(previous.read_text())
        if "sd15_names" in earlier:
            report["sd15_names"] = earlier["sd15_names"]
    previous.write_text(json.dumps(report, indent=2) + "\n")
    if ok:
        shutil.copyfile(single_file, DATA / "tiny_sd_original.safetensors")
        print(f"verified; copied to {DATA / 'tiny_sd_original.safetensors'}")
    return 0 if ok else 1


SD15_UNET_CONFIG = dict(
    sample_size=64,
    in_channels=4,
    out_channels=4,
    block_out_channels=(320, 640, 1280, 1280),
    layers_per_block=2,
    down_block_types=("CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"),
    up_block_types=("UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"),
    mid_block_type="UNetMidBlock2DCrossAttn",
    cross_attention_dim=768,
    attention_head_dim=8,
)
SD15_VAE_CONFIG = dict(
    in_channels=3,
    out_channels=3,
    block_out_channels=(128, 256, 512, 512),
    down_block_types=("DownEncoderBlock2D",) * 4,
    up_block_types=("UpDecoderBlock2D",) * 4,
    layers_per_block=2,
    latent_channels=4,
    sample_size=512,
)
SD15_CLIP_CONFIG = dict(
    vocab_size=49408,
    hidden_size=768,
    intermediate_size=3072,
    num_hidden_layers=12,
    num_attention_heads=12,
    max_position_embeddings=77,
    hidden_act="quick_gelu",
)
NAMES_FILE = DATA / "sd15_layout_names.json"


def names():
    from diffusers import AutoencoderKL, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel

    with torch.device("meta"):
        unet = UNet2DConditionModel(**SD15_UNET_CONFIG)
        vae = AutoencoderKL(**SD15_VAE_CONFIG)
        text = CLIPTextModel(CLIPTextConfig(**SD15_CLIP_CONFIG))
    canonical = ["unet." + k for k in unet.state_dict()]
    canonical += ["vae." + k for k in vae.state_dict()]
    for key in text.state_dict():
        if key.endswith("position_ids"):
            continue
        # Canonical names keep CLIPTextModel's "text_model." level.
        canonical.append("text_encoder." + (key if key.startswith("text_model.") else "text_model." + key))
    record = dict(
        unet_config=dict(unet.config),
        vae_config=dict(vae.config),
        canonical=sorted(canonical),
        original=[],
    )
    NAMES_FILE.write_text(json.dumps(record, indent=1, default=list) + "\n")
    print(f"wrote {NAMES_FILE}: {len(canonical)} canonical names")


def check_names(single_file):
    from diffusers.loaders import single_file_utils as sfu

    record = json.loads(NAMES_FILE.read_text())
    checkpoint = load_file(single_file)
    unet = sfu.convert_ldm_unet_checkpoint(checkpoint, record["unet_config"])
    vae = sfu.convert_ldm_vae_checkpoint(checkpoint, record["vae_config"])
    text = sfu.convert_ldm_clip_checkpoint(checkpoint)
    converted = {"unet." + k: v for k, v in unet.items()}
    converted.update({"vae." + k: v for k, v in vae.items()})
    converted.update({"text_encoder." + k: v for k, v in text.items()})
    canonical = record["canonical"]
    index = {name: i for i, name in enumerate(canonical)}
    missing = sorted(set(canonical) - set(converted))
    unexpected = sorted(set(converted) - set(canonical))
    # Every tensor holds the index of its canonical name: a weight routed to
    # the wrong name shows up here even when the name sets agree.
    misrouted = [
        name
        for name in sorted(set(canonical) & set(converted))
        if converted[name].numel() != 1 or int(converted[name].flatten()[0].item()) != index[name]
    ]
    result = dict(
        names=len(canonical),
        single_file_tensors=len(checkpoint),
        converted=len(converted),
        missing=missing[:10],
        unexpected=unexpected[:10],
        misrouted=misrouted[:10],
    )
    result["ok"] = not (missing or unexpected or misrouted) and len(converted) == len(checkpoint)
    print(json.dumps(result, indent=2))
    verdict_file = DATA / "layout_check.json"
    verdict = json.loads(verdict_file.read_text()) if verdict_file.exists() else {}
    verdict["sd15_names"] = result
    verdict_file.write_text(json.dumps(verdict, indent=2) + "\n")
    if result["ok"]:
        record["original"] = sorted(checkpoint)
        NAMES_FILE.write_text(json.dumps(record, indent=1, default=list) + "\n")
        print(f"verified; original names stored in {NAMES_FILE}")
    return 0 if result["ok"] else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("make")
    checker = sub.add_parser("check")
    checker.add_argument("single_file")
    sub.add_parser("names")
    name_checker = sub.add_parser("check-names")
    name_checker.add_argument("single_file")
    args = parser.parse_args()
    if args.command == "make":
        make()
        return 0
    if args.command == "names":
        names()
        return 0
    if args.command == "check-names":
        return check_names(args.single_file)
    return check(args.single_file)


if __name__ == "__main__":
    sys.exit(main())

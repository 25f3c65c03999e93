"""Parity golden for LoRAs in sd-scripts' SDXL naming (tests/parity/lora_sdxl_parity_test.cpp).

kohya's sd-scripts trains SDXL on the original SGM UNet, so its LoRAs (and
SDXL-Lightning's sdxl_lightning_4step_lora.safetensors) name UNet modules by
the original layout (lora_unet_input_blocks_4_1_transformer_blocks_0_attn1_to_q,
lora_unet_middle_block_2_emb_layers_1, lora_unet_output_blocks_2_2_conv, ...) and
the two text encoders lora_te1_ / lora_te2_. This script writes such a LoRA for
the project's tiny SDXL (`semdraw-cli make-model --preset tiny-sdxl --seed 3`; 2
levels, 2 res blocks per down level, attention only in level 1, so the block
indices differ from real SDXL's) and lets diffusers fuse it:

  tests/data/lora/sdxl_kohya.safetensors  random fp16 LoRA, mixed ranks, an .alpha per module
                                           (see alpha_for), covering attention projections, proj_in/out,
                                           ff, resnet convs / time-emb / shortcuts, the
                                           downsampler (op) and upsampler (conv), conv_in/out,
                                           time_embed and label_emb, and both text encoders
  tests/data/lora/sdxl_golden.safetensors  every weight the LoRA touches, as diffusers'
                                           StableDiffusionXLPipeline.load_lora_weights +
                                           fuse_lora(lora_scale=0.7) leaves it (fp32, canonical
                                           names: unet.*, text_encoder.text_model.*,
                                           text_encoder_2.text_model.*)

The SGM names are derived here from the UNet config by our own rules, not by
diffusers' converter, so the golden checks the two derivations against each
other. Before saving, the script checks that diffusers changed exactly the
weights the LoRA targets and that each equals W + 0.7 * alpha/rank * up @ down.

Run:  .venv-ref/bin/python tests/reference/lora_sdxl_golden.py [--cli build-X/bin/semdraw-cli]
      (or --model DIR: a folder already made by `make-model --preset tiny-sdxl --seed 3`)
"""
import json
import os
import pathlib
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch  # noqa: E402
from diffusers import StableDiffusionXLPipeline  # noqa: E402
from safetensors.torch import load_file, save_file  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from lora_golden import OUT, SCALE, check_fused_weights, random_pair, tiny_model  # noqa: E402

# Inside a ResnetBlock: diffusers name -> original name.
RESNET_PARTS = {"conv1": "in_layers.2", "time_emb_proj": "emb_layers.1", "conv2": "out_layers.3",
                "conv_shortcut": "skip_connection"}
# Modules outside the input/middle/output blocks.
TOP_LEVEL = {"conv_in": "input_blocks.0.0", "conv_out": "out.2", "time_embedding.linear_1": "time_embed.0",
             "time_embedding.linear_2": "time_embed.2", "add_embedding.linear_1": "label_emb.0.0",
             "add_embedding.linear_2": "label_emb.0.2"}

# UNet modules of the tiny SDXL the LoRA covers (one or a few of each kind, at
# every kind of block position, so the golden stays small).
UNET_MODULES = [
    "conv_in", "conv_out", "time_embedding.linear_1", "add_embedding.linear_1",
    # level 0 (no attention): a resnet's convs and time embedding, the downsampler
    "down_blocks.0.resnets.1.conv1", "down_blocks.0.resnets.1.time_emb_proj", "down_blocks.0.resnets.1.conv2",
    "down_blocks.0.downsamplers.0.conv",
    # level 1: a resnet with a shortcut, every projection of one transformer block, ff, proj_in/out
    "down_blocks.1.resnets.0.conv_shortcut", "down_blocks.1.resnets.0.time_emb_proj",
    "down_blocks.1.attentions.0.proj_in", "down_blocks.1.attentions.0.proj_out",
    *(f"down_blocks.1.attentions.0.transformer_blocks.0.{attn}.{proj}"
      for attn in ("attn1", "attn2") for proj in ("to_q", "to_k", "to_v", "to_out.0")),
    "down_blocks.1.attentions.0.transformer_blocks.0.ff.net.2",
    "down_blocks.1.attentions.1.transformer_blocks.1.attn2.to_k",
    # middle block: resnet, attention, resnet
    "mid_block.resnets.0.time_emb_proj", "mid_block.attentions.0.proj_out",
    "mid_block.attentions.0.transformer_blocks.0.attn1.to_out.0", "mid_block.resnets.1.time_emb_proj",
    # up level 0 (attention, upsampler in slot 2), up level 1 (no attention)
    "up_blocks.0.resnets.0.conv_shortcut", "up_blocks.0.attentions.2.transformer_blocks.1.attn1.to_v",
    "up_blocks.0.attentions.2.transformer_blocks.0.ff.net.0.proj", "up_blocks.0.upsamplers.0.conv",
    "up_blocks.1.resnets.2.conv2", "up_blocks.1.resnets.2.time_emb_proj", "up_blocks.1.resnets.2.conv_shortcut",
]
TEXT_MODULES = [f"text_model.encoder.layers.0.{m}"
                for m in ("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.out_proj",
                          "mlp.fc1", "mlp.fc2")] + ["text_model.encoder.layers.2.self_attn.q_proj",
                                                    "text_model.encoder.layers.2.mlp.fc2"]


def sgm_name(module, config):
    """A diffusers UNet module's name in the original SGM layout, from the UNet config."""
    if module in TOP_LEVEL:
        return TOP_LEVEL[module]
    per_level = config["layers_per_block"]
    up_attention = ["CrossAttn" in t for t in config["up_block_types"]]
    mid_attention = "CrossAttn" in (config.get("mid_block_type") or "UNetMidBlock2DCrossAttn")
    parts = module.split(".")

    def inside(kind, rest):
        return RESNET_PARTS[".".join(rest)] if kind == "resnets" else ".".join(rest)

    if parts[0] == "mid_block":
        kind, index, rest = parts[1], int(parts[2]), parts[3:]
        slot = 1 if kind == "attentions" else (index * 2 if mid_attention else index)
        return f"middle_block.{slot}.{inside(kind, rest)}"
    block, kind, index, rest = int(parts[1]), parts[2], int(parts[3]), parts[4:]
    if parts[0] == "down_blocks":
        first = 1 + block * (per_level + 1)  # input_blocks.0 is conv_in
        if kind == "downsamplers":
            return f"input_blocks.{first + per_level}.0.op"
        return f"input_blocks.{first + index}.{0 if kind == 'resnets' else 1}.{inside(kind, rest)}"
    first = block * (per_level + 1)  # up levels have one res block more
    if kind == "upsamplers":
        return f"output_blocks.{first + per_level}.{2 if up_attention[block] else 1}.conv"
    return f"output_blocks.{first + index}.{0 if kind == 'resnets' else 1}.{inside(kind, rest)}"


def alpha_for(canonical, i):
    """Per-module alphas where diffusers 0.42 reads them right; one alpha per component
    elsewhere. diffusers names the per-module alphas of attention projections
    (attn1/attn2.to_k/to_v/to_out) and text-encoder modules so that they match
    nothing and falls back to the component's most common alpha, so mixed alphas
    there would compare us with a diffusers bug (tests/unit/lora_test.cpp covers
    them by hand). 2.0 is the most common UNet alpha here."""
    if canonical.startswith("text_encoder."):
        return 2.0
    if canonical.startswith("text_encoder_2."):
        return 8.0
    if ".attn1." in canonical or ".attn2." in canonical:
        return 2.0
    return (1.0, 4.0, 8.0, 2.0)[i % 4]  # resnets, samplers, proj_in/out, ff, embeddings: per module


def make_sdxl_kohya_lora(weights, config, gen):
    """sd-scripts keys for UNET_MODULES and TEXT_MODULES; expected[canonical module] = (down, up, alpha)."""
    lora, expected = {}, {}
    targets = [("lora_unet_" + sgm_name(m, config), "unet." + m) for m in UNET_MODULES]
    for component, prefix in (("text_encoder", "lora_te1_"), ("text_encoder_2", "lora_te2_")):
        targets += [(prefix + m, f"{component}.{m}") for m in TEXT_MODULES]
    for i, (kohya, canonical) in enumerate(targets):
        rank = (4, 8, 2)[i % 3]
        alpha = alpha_for(canonical, i)
        down, up = random_pair(gen, weights[canonical + ".weight"], rank)
        down, up = down.half(), up.half()
        key = kohya.replace(".", "_")
        lora[key + ".lora_down.weight"], lora[key + ".lora_up.weight"] = down, up
        lora[key + ".alpha"] = torch.tensor(alpha, dtype=torch.float16)
        expected[canonical] = (down.float(), up.float(), alpha)
    return lora, expected


def canonical_state(pipe):
    """The three networks' weights under canonical names (text_model. always present)."""
    state = {"unet." + k: v.detach().clone() for k, v in pipe.unet.state_dict().items()}
    for component in ("text_encoder", "text_encoder_2"):
        for k, v in getattr(pipe, component).state_dict().items():
            if k.startswith(("embeddings.", "encoder.", "final_layer_norm.")):
                k = "text_model." + k
            state[f"{component}.{k}"] = v.detach().clone()
    return state


def fuse_with_diffusers(folder, lora_file, expected):
    pipe = StableDiffusionXLPipeline.from_pretrained(folder, local_files_only=True)
    before = canonical_state(pipe)
    pipe.load_lora_weights(str(lora_file))
    pipe.fuse_lora(lora_scale=SCALE)
    pipe.unload_lora_weights()  # after fusing: keeps the fused weights, drops the LoRA layers
    after = canonical_state(pipe)
    assert set(after) == set(before), "weight names changed after unloading"

    worst = check_fused_weights(lora_file.name, before, after, expected)
    fused = {module + ".weight": after[module + ".weight"] for module in expected}
    smallest_move = min((fused[m + ".weight"] - before[m + ".weight"]).abs().max().item() for m in expected)
    assert smallest_move > 1e-2, f"a module barely moved ({smallest_move})"
    print(f"{lora_file.name}: {len(expected)} modules fused by diffusers; own formula vs diffusers {worst:.2g}; "
          f"smallest change of a fused weight {smallest_move:.3g}")
    return fused


def main():
    with tiny_model("tiny-sdxl", 3) as folder:
        config = json.loads((folder / "unet" / "config.json").read_text())
        unet = load_file(folder / "unet" / "diffusion_pytorch_model.safetensors")
        weights = {"unet." + k: v for k, v in unet.items()}
        for component in ("text_encoder", "text_encoder_2"):
            for k, v in load_file(folder / component / "model.safetensors").items():
                weights[f"{component}.{k if k.startswith('text_model.') else 'text_model.' + k}"] = v

        lora, expected = make_sdxl_kohya_lora(weights, config, torch.Generator().manual_seed(2025))
        lora_file = OUT / "sdxl_kohya.safetensors"
        save_file({k: v.contiguous() for k, v in lora.items()}, lora_file)
        fused = fuse_with_diffusers(folder, lora_file, expected)
        save_file({k: v.contiguous() for k, v in fused.items()}, OUT / "sdxl_golden.safetensors",
                  metadata={"scale": str(SCALE), "modules": str(len(expected)), "lora_keys": str(len(lora))})
    for name in ("sdxl_kohya.safetensors", "sdxl_golden.safetensors"):
        print(f"wrote {OUT / name} ({(OUT / name).stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()

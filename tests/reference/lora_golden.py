"""Parity goldens for LoRA fusion at load (tests/parity/lora_parity_test.cpp).

The base model is the project's own tiny model (`semdraw-cli make-model --preset
tiny --seed 7`, the folder every engine test uses; its weights are a pure
function of the seed). make-model's --lora writes only UNet attention LoRAs, so
this script writes its own random LoRAs (fixed torch seed) in both key
families, covering Linear, 1x1-conv and 3x3-conv targets in the UNet and the
text encoder:

  tests/data/lora/peft.safetensors   unet.<module>.lora_A/lora_B.weight and
                                      text_encoder.<module>.lora_A/B (diffusers'
                                      current spelling), fp32, mixed ranks, no alpha
  tests/data/lora/kohya.safetensors  lora_unet_* / lora_te_* with .lora_down/.lora_up
                                      and per-module .alpha, fp16 (as LCM-LoRA ships)
  tests/data/lora/peft_alpha.safetensors  the peft tensors again, with alphas in the file
                                      metadata ("lora_adapter_metadata", diffusers >= 0.34)
  tests/data/lora/golden.safetensors fixed inputs; UNet and text-encoder outputs of
                                      the base model and with each LoRA fused by
                                      diffusers at lora_scale=0.7

Before saving, the script checks that diffusers really applied every module of
each LoRA (the set of changed weights equals the set the LoRA targets, and each
fused weight equals W + 0.7 * alpha/rank * up @ down) and that the outputs
moved clearly away from the base model's, so the C++ test can fail.

Run:  .venv-ref/bin/python tests/reference/lora_golden.py [--cli build-X/bin/semdraw-cli]
      (or --model DIR: a folder already made by `make-model --preset tiny --seed 7`)
"""
import argparse
import contextlib
import json
import os
import pathlib
import re
import subprocess
import tempfile

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch  # noqa: E402
from diffusers import StableDiffusionPipeline  # noqa: E402
from safetensors.torch import load_file, save_file  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "data" / "lora"
SCALE = 0.7


def find_cli(given):
    if given:
        return pathlib.Path(given)
    found = sorted(ROOT.glob("build*/bin/semdraw-cli"), key=lambda p: p.stat().st_mtime, reverse=True)
    if not found:
        raise SystemExit("no build*/bin/semdraw-cli found: build semdraw-cli or pass --cli")
    return found[0]


@contextlib.contextmanager
def tiny_model(preset, seed):
    """The --model folder of the command line, or one made by make-model (--cli or the newest build)
    in a temporary folder that lives as long as the `with`. Creates OUT."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", help="semdraw-cli to make the model with")
    parser.add_argument("--model", type=pathlib.Path,
                        help=f"use this folder, made by `make-model --preset {preset} --seed {seed}`, instead")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.model is not None:
        yield args.model
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = pathlib.Path(tmp) / f"{preset}-seed{seed}"
        subprocess.run([str(find_cli(args.cli)), "make-model", "--preset", preset, "--seed", str(seed), "--out",
                        str(folder), "--resources", str(ROOT / "resources")], check=True, stdout=subprocess.DEVNULL)
        yield folder


def unet_targets(unet_weights):
    """UNet modules the LoRAs cover: every kind LCM-LoRA has for SD1.5."""
    chosen = []
    for name, w in unet_weights.items():
        if not name.endswith(".weight") or w.dim() < 2:
            continue
        module = name[: -len(".weight")]
        if ".attentions.0." in module or "mid_block" in module or ".resnets.0." in module:
            chosen.append(module)  # attention (Linear), proj_in/out (1x1), ff, resnet convs, time_emb_proj, shortcut
        elif "samplers" in module or module in ("conv_in", "conv_out", "time_embedding.linear_1"):
            chosen.append(module)  # 3x3 down/upsampler convs, conv_in/out, time MLP
    return chosen


def text_targets(te_weights):
    return [n[: -len(".weight")] for n, w in te_weights.items()
            if n.endswith(".weight") and w.dim() == 2 and ("self_attn" in n or "mlp" in n)]


def random_pair(gen, weight, rank):
    """down [r, in, kh, kw] / up [out, r, 1, 1] for a conv; [r, in] / [out, r] for a Linear."""
    out_ch, rest = weight.shape[0], tuple(weight.shape[1:])
    fan_in = 1
    for d in rest:
        fan_in *= d
    down = torch.randn((rank,) + rest, generator=gen) / fan_in ** 0.5
    # Big enough that a module's fused change shows in the outputs, small
    # enough to stay a perturbation of the base network.
    up = torch.randn((out_ch, rank) + (1,) * (len(rest) - 1), generator=gen) * 0.3
    return down, up


def make_peft_lora(unet_w, te_w, gen):
    lora, expected = {}, {}
    for i, module in enumerate(unet_targets(unet_w)):
        rank = 4 if i % 3 else 2  # mixed ranks: diffusers sets them per module from the shapes
        down, up = random_pair(gen, unet_w[module + ".weight"], rank)
        lora[f"unet.{module}.lora_A.weight"], lora[f"unet.{module}.lora_B.weight"] = down, up
        expected["unet." + module] = (down, up, float(rank))  # no alpha: alpha = rank
    for module in text_targets(te_w):
        down, up = random_pair(gen, te_w[module + ".weight"], 4)
        # diffusers with transformers >= 5.6 writes text encoder keys without "text_model.".
        short = module.replace("text_model.", "", 1)
        lora[f"text_encoder.{short}.lora_A.weight"], lora[f"text_encoder.{short}.lora_B.weight"] = down, up
        expected["text_encoder." + module] = (down, up, 4.0)
    return lora, expected


def peft_metadata_alphas(peft, peft_expected):
    """The same tensors as peft.safetensors with alphas in the file metadata, the way
    diffusers >= 0.34 save_lora_weights(..., unet_lora_adapter_metadata=...) stores
    a LoraConfig: one lora_alpha per component, alpha_pattern overrides (regexes
    matched against the end of the module name, first match in key order wins)."""
    configs = {
        "unet": {"r": 4, "lora_alpha": 8.0, "alpha_pattern": {"attn2.to_k": 1.0, "conv1": 16.0}},
        "text_encoder": {"r": 4, "lora_alpha": 2.0, "alpha_pattern": {"fc1": 6.0}},
    }
    expected = {}
    for component, config in configs.items():
        names = sorted({k[len(component) + 1: k.index(".lora_")] for k in peft if k.startswith(component + ".")})
        config["target_modules"] = names
        config["rank_pattern"] = {}
        for name in names:
            canonical = component + "." + (name if component == "unet" else "text_model." + name)
            down, up, rank = peft_expected[canonical]
            if int(rank) != config["r"]:
                config["rank_pattern"][name] = int(rank)
            alpha = config["lora_alpha"]
            for pattern in sorted(config["alpha_pattern"]):
                if re.match(rf"(.*\.)?({pattern})$", name):
                    alpha = config["alpha_pattern"][pattern]
                    break
            expected[canonical] = (down, up, alpha)
    packed = {f"{component}.{key}": value for component, config in configs.items() for key, value in config.items()}
    return {"format": "pt", "lora_adapter_metadata": json.dumps(packed, indent=2, sort_keys=True)}, expected


def make_kohya_lora(unet_w, te_w, gen):
    lora, expected = {}, {}
    # One alpha for the whole file, as LCM-LoRA has: diffusers 0.42 builds its
    # per-module alpha_pattern with wrong names for attention-processor and
    # text-encoder modules and falls back to the most common alpha there, so
    # a mixed-alpha file would compare us with a diffusers bug. Per-module
    # alphas are covered by tests/unit/lora_test.cpp. Ranks are mixed (alpha /
    # rank then differs per module) and alpha != rank, so alpha is exercised.
    alpha = 2.0

    def add(prefix, module, weight, rank, alpha, canonical):
        down, up = random_pair(gen, weight, rank)
        down, up = down.half(), up.half()
        key = prefix + module.replace(".", "_")
        lora[key + ".lora_down.weight"], lora[key + ".lora_up.weight"] = down, up
        lora[key + ".alpha"] = torch.tensor(alpha, dtype=torch.float16)
        expected[canonical] = (down.float(), up.float(), alpha)

    for i, module in enumerate(unet_targets(unet_w)):
        add("lora_unet_", module, unet_w[module + ".weight"], 4 if i % 2 else 8, alpha, "unet." + module)
    for i, module in enumerate(text_targets(te_w)):
        add("lora_te_", module, te_w[module + ".weight"], 4 if i % 2 else 8, alpha, "text_encoder." + module)
    return lora, expected


def canonical_state(pipe):
    """Both networks' weights under canonical names (text_model. always present)."""
    state = {"unet." + k: v.clone() for k, v in pipe.unet.state_dict().items()}
    for k, v in pipe.text_encoder.state_dict().items():
        k = k if k.startswith("text_model.") else "text_model." + k
        state["text_encoder." + k] = v.clone()
    return state


def run(pipe, inputs):
    with torch.no_grad():
        unet = pipe.unet(inputs["sample"], inputs["timestep"], encoder_hidden_states=inputs["encoder_hidden_states"]).sample
        text = pipe.text_encoder(inputs["input_ids"])[0]
    return unet, text


def check_fused_weights(label, before, after, expected):
    """diffusers changed exactly the weights of `expected` ({module: (down, up, alpha)}), each
    to W + SCALE * alpha/rank * up @ down; returns the largest difference from that formula."""
    changed = {k[: -len(".weight")] for k in before if not torch.equal(before[k], after[k])}
    missing, extra = set(expected) - changed, changed - set(expected)
    assert not missing and not extra, f"{label}: diffusers skipped {sorted(missing)[:5]}, changed {sorted(extra)[:5]}"
    worst = 0.0
    for module, (down, up, alpha) in expected.items():
        w = before[module + ".weight"]
        delta = (up.reshape(up.shape[0], -1) @ down.reshape(down.shape[0], -1)).reshape(w.shape)
        mine = w + SCALE * alpha / down.shape[0] * delta
        worst = max(worst, (mine - after[module + ".weight"]).abs().max().item())
    assert worst < 1e-5, f"{label}: W + s*alpha/r*up@down differs from diffusers' fused weight by {worst}"
    return worst


def fuse_with_diffusers(folder, lora_file, expected, inputs, base):
    pipe = StableDiffusionPipeline.from_pretrained(folder, safety_checker=None, requires_safety_checker=False)
    pipe.unet.eval()
    pipe.text_encoder.eval()
    before = canonical_state(pipe)
    pipe.load_lora_weights(str(lora_file))
    pipe.fuse_lora(lora_scale=SCALE)
    outputs = run(pipe, inputs)
    pipe.unload_lora_weights()  # after fusing: keeps the fused weights, drops the LoRA layers
    after = canonical_state(pipe)
    assert set(after) == set(before), f"{lora_file.name}: weight names changed after unloading"

    worst = check_fused_weights(lora_file.name, before, after, expected)

    for label, out, ref in zip(("unet", "text encoder"), outputs, base):
        moved = (out - ref).abs().max().item()
        assert moved > 0.05 * ref.abs().max().item(), f"{lora_file.name}: the LoRA barely moved the {label} ({moved})"
        print(f"{lora_file.name}: {len(expected)} modules fused, {label} output moved by {moved:.4f} "
              f"(|base| max {ref.abs().max().item():.3f}); own formula vs diffusers weights {worst:.2g}")
    return outputs


def main():
    with tiny_model("tiny", 7) as folder:
        unet_w = load_file(folder / "unet" / "diffusion_pytorch_model.safetensors")
        te_w = load_file(folder / "text_encoder" / "model.safetensors")
        te_w = {k if k.startswith("text_model.") else "text_model." + k: v for k, v in te_w.items()}

        gen = torch.Generator().manual_seed(2024)
        peft, peft_expected = make_peft_lora(unet_w, te_w, gen)
        kohya, kohya_expected = make_kohya_lora(unet_w, te_w, gen)
        save_file({k: v.contiguous() for k, v in peft.items()}, OUT / "peft.safetensors")
        save_file({k: v.contiguous() for k, v in kohya.items()}, OUT / "kohya.safetensors")
        metadata, peft_alpha_expected = peft_metadata_alphas(peft, peft_expected)
        save_file({k: v.contiguous() for k, v in peft.items()}, OUT / "peft_alpha.safetensors", metadata=metadata)

        g = torch.Generator().manual_seed(11)
        inputs = {
            "sample": torch.randn(1, 4, 8, 8, generator=g),
            "timestep": torch.tensor([499], dtype=torch.int64),
            "encoder_hidden_states": torch.randn(1, 77, 32, generator=g),
            "input_ids": torch.cat([torch.tensor([[49406]]), torch.randint(0, 49406, (1, 12), generator=g),
                                    torch.full((1, 64), 49407)], dim=1),
        }
        base_pipe = StableDiffusionPipeline.from_pretrained(folder, safety_checker=None, requires_safety_checker=False)
        base = run(base_pipe, inputs)
        del base_pipe

        golden = dict(inputs)
        golden["unet_base"], golden["text_base"] = base
        golden["unet_peft"], golden["text_peft"] = fuse_with_diffusers(folder, OUT / "peft.safetensors", peft_expected,
                                                                      inputs, base)
        golden["unet_kohya"], golden["text_kohya"] = fuse_with_diffusers(folder, OUT / "kohya.safetensors",
                                                                        kohya_expected, inputs, base)
        golden["unet_peft_alpha"], golden["text_peft_alpha"] = fuse_with_diffusers(
            folder, OUT / "peft_alpha.safetensors", peft_alpha_expected, inputs, base)
        save_file({k: v.contiguous() for k, v in golden.items()}, OUT / "golden.safetensors",
                  metadata={"scale": str(SCALE), "peft_modules": str(len(peft_expected)),
                            "kohya_modules": str(len(kohya_expected)),
                            "peft_alpha_modules": str(len(peft_alpha_expected))})
    size = sum(f.stat().st_size for f in OUT.iterdir())
    print(f"wrote {OUT} ({size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()

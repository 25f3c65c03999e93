"""What every paper-golden script shares (paper_golden.py, paper_sdxl_golden.py and their
stream companions): importing one of the paper's modules from a checkout, recording its
random draws and captured tensors, the scene and tensor entries of a one-shot case, and
writing tests/data/paper/<stem>.{json,safetensors}. Nothing of the paper's code is here;
each script patches and drives the paper's class itself.
"""
import hashlib
import json
import os
import pathlib
import sys
import warnings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch  # noqa: E402
import torchvision.transforms  # noqa: E402
from diffusers.models.autoencoders.vae import DiagonalGaussianDistribution  # noqa: E402
from safetensors.torch import save_file  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "data" / "paper"

REGIONS = [  # prompt, negative prompt (SD1.5 cases and both stream classes)
    ("snowy mountains", ""),
    ("a red eagle", "blurry"),
    ("a small wooden cabin", ""),
]
BACKGROUND_PROMPT = ("a photo of a quiet valley", "low quality")


def import_paper_module(root: pathlib.Path, module: str):
    """The paper's util module and src/model/<module>.py, imported from a checkout. The
    module is imported on its own so the model package's other pipelines stay unloaded."""
    src = root / "src"
    if not (src / "model" / f"{module}.py").is_file():
        sys.exit(f"{root} is not a checkout of the paper's code (no src/model/{module}.py)")
    # Its modules import `util` as a top-level module.
    sys.path[:0] = [str(src / "model"), str(src)]
    import importlib
    return importlib.import_module("util"), importlib.import_module(module)


def parse_arguments(default_model: pathlib.Path, diagnose=False):
    """--paper (a checkout of the paper's code), --model, and --diagnose where a script has
    diagnostic cases."""
    import argparse
    parser = argparse.ArgumentParser()
    parser.add_argument("--paper", type=pathlib.Path, required=True, help="checkout of the paper's code")
    parser.add_argument("--model", type=pathlib.Path, default=default_model)
    if diagnose:
        parser.add_argument("--diagnose", action="store_true", help="add the DIAG_CASES (not for committing)")
    return parser.parse_args()


def deterministic_cpu():
    """CPU fp32 runs that give the same bytes every time."""
    warnings.filterwarnings("ignore")
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)


def require_model(folder: pathlib.Path, preset: str, seed: int, need_taesd=False):
    if not (folder / "model_index.json").exists() or (need_taesd and not (folder / "taesd").is_dir()):
        what = "no model with a taesd/ folder" if need_taesd else "no model"
        sys.exit(f"{folder}: {what}; run semdraw-cli make-model --preset {preset} --seed {seed} --out {folder}")


def encode_with_posterior_mean():
    """The paper samples the VAE posterior; the engine encodes with its mean."""
    DiagonalGaussianDistribution.sample = lambda self, generator=None: self.mean


def exact_white_background(cls):
    """get_white_background encodes white at exactly the requested size (unpatched, the
    paper crops a white latent it made once at a larger size). Returns the real method."""
    real_white = cls.get_white_background

    def get_white_background(self, height, width):
        if hasattr(self, "white"):
            del self.white
        return real_white(self, height, width)

    cls.get_white_background = get_white_background
    return real_white


def white_crop_difference(pipe, real_white, cached_side):
    """How far the unpatched white latent (a crop of the cached_side² one) is from an exact
    64x64 encode; printed and stored in the goldens as white_crop_vs_exact."""
    with torch.no_grad():
        exact = pipe.get_white_background(64, 64).clone()
        del pipe.white
        real_white(pipe, cached_side, cached_side)
        crop = real_white(pipe, 64, 64).clone()
    diff = float((crop - exact).abs().max())
    print(f"white latent: unpatched {cached_side}x{cached_side} crop vs exact 64x64 encode: max abs diff {diff:.4g}")
    return float(f"{diff:.4g}")


def record_pil_conversions(values, *modules):
    """Replaces the torchvision `T` the paper's modules call ToPILImage on with a proxy that
    records the tensor just before PIL conversion as values["image"]."""

    class TransformsProxy:
        def __getattr__(self, name):
            return getattr(torchvision.transforms, name)

        @staticmethod
        def ToPILImage(*args, **kwargs):
            real = torchvision.transforms.ToPILImage(*args, **kwargs)

            def convert(pic):
                values["image"] = pic.detach().clone()
                return real(pic)

            return convert

    for module in modules:
        module.T = TransformsProxy()


class DrawLog:
    """Every torch.randn / torch.randn_like draw while active, in call order."""

    def __init__(self):
        self.active = False
        self.draws = []
        real_randn, real_randn_like = torch.randn, torch.randn_like

        def randn(*args, **kwargs):
            out = real_randn(*args, **kwargs)
            self.record("torch.randn", out, sys._getframe(1))
            return out

        def randn_like(*args, **kwargs):
            out = real_randn_like(*args, **kwargs)
            self.record("torch.randn_like", out, sys._getframe(1))
            return out

        torch.randn, torch.randn_like = randn, randn_like

    def record(self, fn, tensor, frame):
        if not self.active:
            return
        site = frame.f_code.co_name
        entry = {"fn": fn, "caller": site, "shape": list(tensor.shape), "tensor": tensor.detach().clone()}
        if site == "scheduler_add_noise":
            entry["idx"] = int(frame.f_locals["idx"])
            outer = frame.f_back.f_locals
            entry["step"] = int(outer["i"]) if "i" in outer else None
            entry["caller"] = f"{frame.f_back.f_code.co_name} -> scheduler_add_noise"
        self.draws.append(entry)

    def start(self, seed):
        torch.manual_seed(seed)
        self.draws = []
        self.active = True

    def stop(self):
        self.active = False
        return self.draws


class Store:
    """The tensors of one goldens file, by name; inputs shared by content."""

    def __init__(self):
        self.tensors = {}

    def put(self, name, tensor):
        assert name not in self.tensors, name
        self.tensors[name] = tensor.detach().float().contiguous().clone()
        return name

    def shared(self, kind, tensor):
        data = tensor.detach().float().contiguous()
        name = f"{kind}.{hashlib.sha256(data.numpy().tobytes()).hexdigest()[:12]}"
        self.tensors.setdefault(name, data.clone())
        return name


def photo(height, width):
    """A canvas-size picture with structure at every scale, exactly k/255 (the
    engine's scene holds 8-bit RGB; at canvas size it is not resized)."""
    yy, xx = torch.meshgrid(torch.linspace(0, 1, height), torch.linspace(0, 1, width), indexing="ij")
    image = torch.stack([0.25 + 0.5 * xx + 0.1 * torch.sin(9 * yy),
                         0.85 - 0.45 * yy + 0.1 * torch.cos(7 * xx),
                         0.45 + 0.3 * (xx - yy) * torch.sin(5 * xx * yy)]).clamp(0, 1)
    return ((image * 255).round() / 255).contiguous()


def region_entries(store, prompts, negatives, c, masks):
    return [{"prompt": p, "negative_prompt": n, "prompt_strength": s, "mask_strength": ms, "blur_sigma": sd,
             "enabled": True, "mask": store.shared("input.mask", m)}
            for p, n, s, ms, sd, m in zip(prompts, negatives, c["prompt_strengths"], c["mask_strengths"],
                                          c["mask_stds"], masks)]


def background_entry(store, image):
    return {"image": None if image is None else store.shared("input.image", image),
            "prompt": BACKGROUND_PROMPT[0], "negative_prompt": BACKGROUND_PROMPT[1]}


def view_count(c):
    """How many tile views the paper's one-shot class makes for the case's canvas."""
    if c["height"] <= c["tile_size"] and c["width"] <= c["tile_size"]:
        return 1
    import util as paper_util
    views, _ = paper_util.get_panorama_views(c["height"] // 8, c["width"] // 8, (c["tile_size"] + 7) // 8)
    return len(views)


def one_shot_scene(store, c, image, regions, masks, **extra_settings):
    """The engine scene of a one-shot case, as the C++ test reads it."""
    return {
        "width": c["width"], "height": c["height"], "background": background_entry(store, image),
        "regions": region_entries(store, [p for p, _ in regions], [n for _, n in regions], c, masks),
        "settings": dict({"step_indices": c["t_index_list"], "mask_mode": c["mask_type"],
                          "bootstrap_steps": c["bootstrap_steps"], "bootstrap_mix_steps": c["mix_steps"],
                          "cover_alpha": c["cover"], "guidance": c["guidance"], "leak_sensitivity": c["leak"],
                          "tile_size": c["tile_size"]}, **extra_settings),
    }


def one_shot_record(store, c, kwargs, image, labels, draws, captured):
    """The paper's call arguments, its draws and the captured tensors of one one-shot case."""
    call = {k: v for k, v in kwargs.items() if k not in ("masks", "background")}
    call["masks"] = "the scene's region masks as a [3,1,32,32] tensor"
    call["background"] = None if image is None else "the scene's photo as a [1,3,H,W] tensor"
    call["mask_type"] = c["mask_type"]
    call["t_index_list"] = c["t_index_list"]
    name = c["name"]
    return {
        "paper_call": call,
        "draws": [{"label": lab, "fn": d["fn"], "caller": d["caller"], "shape": d["shape"]}
                  for lab, d in zip(labels, draws)],
        "tensors": {
            "draws": store.put(f"{name}.draws", torch.cat([d["tensor"] for d in draws])),
            "latent": store.put(f"{name}.latent", captured["latent"]),
            "image": store.put(f"{name}.image", captured["image"][None]),
            # (p, T, 1, h, w) -> [p, T, h, w]; without a photo the background region comes first.
            "masks": store.put(f"{name}.masks", captured["masks"][:, :, 0]),
        },
    }


def golden_header(script, paper_class, paper_module, model, patches, noise_order, **extra):
    from pipeline_golden import fingerprint
    return dict({"generator": f"tests/reference/{script}", "paper_class": paper_class,
                 "paper_module": f"src/model/{paper_module}.py", "model_folder": str(model),
                 "model_sha256": fingerprint(model), "patches": patches, "noise_order": noise_order,
                 "cases": {}}, **extra)


def write_goldens(store, golden, stem):
    """tests/data/paper/<stem>.safetensors (the store's tensors) and <stem>.json."""
    OUT.mkdir(parents=True, exist_ok=True)
    tensors, meta = OUT / f"{stem}.safetensors", OUT / f"{stem}.json"
    save_file(store.tensors, str(tensors))
    tensors.chmod(0o644)
    meta.write_text(json.dumps(golden, indent=1, sort_keys=True) + "\n")
    for f in (tensors, meta):
        print(f"wrote {f} ({f.stat().st_size} bytes)")

"""Parity goldens from the SemanticDraw paper's OWN code (StableMultiDiffusionPipeline,
the one-shot region renderer), run on our tiny seeded model with every random
draw it makes recorded, so tests/parity/paper_parity_test.cpp can replay them
through the engine.

    .venv-ref/bin/python tests/reference/paper_golden.py --paper /tmp/sd [--model /tmp/tiny]

--paper is a checkout of the paper's repository (its src/ holds model/ and
util.py). Whoever regenerates the goldens fetches it; it is never committed and
nothing of it is copied here: this script imports its modules from that path
(model/pipeline_stablemultidiffusion.py directly, not the model package, which
also pulls in the SDXL / SD3 / Kolors variants). Its code needs `einops`
(pip install einops into .venv-ref). --model defaults to the folder written by
`semdraw-cli make-model --preset tiny --seed 7 --out /tmp/tiny`, the model the
C++ tests load (build/test-models/tiny-seed7).

The paper's classes are constructed and called unchanged; only these RUN-TIME
patches are applied (listed again in paper.json under "patches"):
  * load_model (the module-level name the pipeline imported from util): returns a
    StableDiffusionPipeline assembled from the tiny folder in fp32 on the CPU
    (pipeline_golden.load_models: tokenizer from resources/clip when the folder
    has none) instead of downloading runwayml/stable-diffusion-v1-5.
  * pipe.load_lora_weights: a no-op on that pipeline (no LCM-LoRA download; the
    tiny UNet stands for the LCM-distilled one).
  * the captioner: the pipeline is built with has_i2t=False (a constructor
    argument, so BLIP-2 is never loaded) and every call passes background_prompt,
    so get_text_prompts is never reached.
  * device / dtype: constructor arguments torch.device('cpu') / torch.float32;
    the scheduler is what the paper itself sets up:
    LCMScheduler.from_config(<the folder's scheduler config>).
  * DiagonalGaussianDistribution.sample returns the posterior mean: the paper
    SAMPLES the VAE posterior when encoding the photo and the white bootstrap
    image, the engine takes the mean (a documented deviation; the mean is what
    the sample is centred on, and a sample would be one more random draw the
    engine never makes).
  * get_white_background always encodes a white image of exactly the requested
    size (the engine's white latent). Unpatched, the paper keeps the latent of a
    768x768 white image made at construction and returns its top-left crop,
    re-encoding only when a request is larger than the cached LATENT; for a
    64x64 canvas the crop of the 768x768 latent differs from a 64x64 encode at
    the borders (the VAE's padding), for a 128-wide canvas it re-encodes. The
    difference is printed as white_crop_vs_exact (a deviation, reported).
  * tqdm: the progress bar is silenced.
  * capture only: decode_latents is wrapped to record the final latent; the
    torchvision `T` the paper's modules call ToPILImage on is proxied to record
    the tensor just before PIL conversion (the final, blended image); process_mask
    is wrapped to record the processed masks. None changes a value.
Random draws: torch.randn / torch.randn_like are wrapped (the paper's modules
call them through the global torch module) to record every draw in call order
with its shape and call site; torch.manual_seed(case seed) precedes each call.
The paper draws, for a single view: the initial latent (torch.randn, or
randn_like of the photo latent when it starts from the noised photo, i.e.
timesteps[0] < 999 with a photo), then per step i: one bootstrap noise per tile
view (i < bootstrap_steps) and the re-noise (all steps but the last). The engine
draws the initial noise, then per step k one CANVAS-size bootstrap noise
(k < bootstrap_steps) and the re-noise: with one view the orders and shapes
coincide and each draw maps one to one (the script asserts the sequence). With
several overlapping tile views the paper draws one bootstrap noise per view,
which one canvas-size draw cannot reproduce, so the tiled case has
bootstrap_steps = 0.

Writes tests/data/paper/paper.json (cases, scenes, the paper's call arguments,
draw lists, patches) and paper.safetensors (inputs, draws, final latents,
images, processed masks). Deterministic: CPU fp32, fixed seeds, one thread.
"""
import argparse
import hashlib
import json
import os
import pathlib
import sys
import warnings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
import torchvision.transforms  # noqa: E402
from diffusers import LCMScheduler, StableDiffusionPipeline  # noqa: E402
from diffusers.models.autoencoders.vae import DiagonalGaussianDistribution  # noqa: E402
from safetensors.torch import save_file  # noqa: E402

from pipeline_golden import CPP_MODEL, fingerprint, load_models, painted_regions  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "data" / "paper"
PATCHES = [
    "load_model -> StableDiffusionPipeline from the tiny folder, fp32, CPU (no hub download)",
    "pipe.load_lora_weights -> no-op (no LCM-LoRA download)",
    "has_i2t=False (constructor argument) and background_prompt always given: no BLIP-2",
    "device=cpu, dtype=float32 (constructor arguments); scheduler as the paper sets it: "
    "LCMScheduler.from_config(folder scheduler config)",
    "DiagonalGaussianDistribution.sample -> posterior mean (the engine encodes with the mean)",
    "get_white_background -> encodes white at exactly the requested size (no 768x768 crop)",
    "tqdm -> silent",
    "capture only: decode_latents input, tensor before ToPILImage, process_mask output",
]


# --- the paper's code ---------------------------------------------------------------

def import_paper(root: pathlib.Path):
    src = root / "src"
    if not (src / "model" / "pipeline_stablemultidiffusion.py").is_file():
        sys.exit(f"{root} is not a checkout of the paper's code (no src/model/pipeline_stablemultidiffusion.py)")
    # Its modules import `util` as a top-level module; the pipeline file is
    # imported on its own so the model package's other pipelines stay unloaded.
    sys.path[:0] = [str(src / "model"), str(src)]
    import util as paper_util
    import pipeline_stablemultidiffusion as paper_one_shot
    return paper_util, paper_one_shot


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


def label_draws(draws, n_steps, bootstrap_steps, views):
    """Names each draw and checks the sequence is the engine's order."""
    labels = []
    for d in draws:
        if d["caller"] == "__call__":
            labels.append("initial")                       # torch.randn: noise alone
        elif d.get("step") is None:
            labels.append("initial")                       # randn_like of the photo latent, idx 0
        elif d["idx"] == d["step"]:
            labels.append(f"bootstrap[{d['step']}]")
        elif d["idx"] == d["step"] + 1:
            labels.append(f"renoise[{d['step']}]")
        else:
            raise AssertionError(f"unexpected draw {d}")
    expected = ["initial"]
    for k in range(n_steps):
        if k < bootstrap_steps:
            expected += [f"bootstrap[{k}]"] * views
        if k + 1 < n_steps:
            expected.append(f"renoise[{k}]")
    assert labels == expected, f"the paper's draws {labels} are not the engine's order {expected}"
    return labels


class Capture:
    """Records what the paper's pipeline computes without changing it."""

    def __init__(self, paper_util, paper_one_shot):
        self.values = {}
        cls = paper_one_shot.StableMultiDiffusionPipeline
        values = self.values
        real_decode, real_process = cls.decode_latents, cls.process_mask

        def decode_latents(self, latents, vae=None):
            values["latent"] = latents.detach().clone()
            return real_decode(self, latents, vae)

        def process_mask(self, *args, **kwargs):
            out = real_process(self, *args, **kwargs)
            values["masks"] = out[0].detach().clone()   # (p, T, 1, h, w)
            values["blurred"] = out[1].detach().clone()
            return out

        cls.decode_latents, cls.process_mask = decode_latents, process_mask

        class TransformsProxy:
            """torchvision.transforms, with ToPILImage recording its input."""

            def __getattr__(self, name):
                return getattr(torchvision.transforms, name)

            @staticmethod
            def ToPILImage(*args, **kwargs):
                real = torchvision.transforms.ToPILImage(*args, **kwargs)

                def convert(pic):
                    values["image"] = pic.detach().clone()
                    return real(pic)
                return convert

        paper_util.T = TransformsProxy()
        paper_one_shot.T = TransformsProxy()


def patch_paper(paper_one_shot, folder: pathlib.Path):
    models = load_models(folder)

    def load_model(model_key, sd_version, device, dtype):
        assert dtype == torch.float32 and torch.device(device).type == "cpu"
        pipe = StableDiffusionPipeline(vae=models["vae"], text_encoder=models["text_encoder"],
                                       tokenizer=models["tokenizer"], unet=models["unet"],
                                       scheduler=LCMScheduler.from_pretrained(folder, subfolder="scheduler"),
                                       safety_checker=None, feature_extractor=None,
                                       requires_safety_checker=False)
        pipe.load_lora_weights = lambda *args, **kwargs: None
        return pipe

    paper_one_shot.load_model = load_model
    paper_one_shot.tqdm = lambda iterable, *args, **kwargs: iterable
    DiagonalGaussianDistribution.sample = lambda self, generator=None: self.mean

    cls = paper_one_shot.StableMultiDiffusionPipeline
    real_white = cls.get_white_background

    def get_white_background(self, height, width):
        if hasattr(self, "white"):
            del self.white
        return real_white(self, height, width)

    cls.get_white_background = get_white_background
    return real_white


# --- scenes -------------------------------------------------------------------------

def photo(height, width):
    """A canvas-size picture with structure at every scale, exactly k/255 (the
    engine's scene holds 8-bit RGB; at canvas size it is not resized)."""
    yy, xx = torch.meshgrid(torch.linspace(0, 1, height), torch.linspace(0, 1, width), indexing="ij")
    image = torch.stack([0.25 + 0.5 * xx + 0.1 * torch.sin(9 * yy),
                         0.85 - 0.45 * yy + 0.1 * torch.cos(7 * xx),
                         0.45 + 0.3 * (xx - yy) * torch.sin(5 * xx * yy)]).clamp(0, 1)
    return ((image * 255).round() / 255).contiguous()


REGIONS = [  # prompt, negative prompt
    ("snowy mountains", ""),
    ("a red eagle", "blurry"),
    ("a small wooden cabin", ""),
]


def case(name, seed, width, height, *, with_photo, t_index_list, mask_type, mask_stds, mask_strengths,
         prompt_strengths, guidance, bootstrap_steps, mix_steps, tile_size=768, leak=0.2, cover=0.3):
    return dict(name=name, seed=seed, width=width, height=height, with_photo=with_photo, t_index_list=t_index_list,
                mask_type=mask_type, mask_stds=mask_stds, mask_strengths=mask_strengths,
                prompt_strengths=prompt_strengths, guidance=guidance, bootstrap_steps=bootstrap_steps,
                mix_steps=mix_steps, tile_size=tile_size, leak=leak, cover=cover)


CASES = [
    # (a) over a photo, default steps: t = 999 first, so from noise alone.
    case("paper_photo", 401, 64, 64, with_photo=True, t_index_list=[0, 4, 12, 25, 37], mask_type="continuous",
         mask_stds=[1.0, 2.5, 4.0], mask_strengths=[1.0, 0.8, 0.9], prompt_strengths=[1.0, 0.8, 0.9],
         guidance=1.0, bootstrap_steps=1, mix_steps=1.0),
    # (b) a step list below 999: starts from the noised photo; two bootstrap
    # steps with a fractional white/photo mix; guidance.
    case("paper_photo_late", 402, 64, 64, with_photo=True, t_index_list=[4, 12, 25, 37],
         mask_type="semi-continuous", mask_stds=[1.0, 2.5, 4.0], mask_strengths=[1.0, 0.8, 0.9],
         prompt_strengths=[0.7, 1.0, 0.85], guidance=1.2, bootstrap_steps=2, mix_steps=1.5),
    # (c) tiles: 128x64, tile 64 -> three overlapping views; no bootstrapping
    # (the paper draws one bootstrap noise per view, see the top).
    # Four steps (the paper's panorama schedule) and no guidance keep it quick.
    case("paper_tiled", 403, 128, 64, with_photo=True, t_index_list=[0, 12, 25, 37], mask_type="discrete",
         mask_stds=[2.0, 1.0, 3.0], mask_strengths=[1.0, 0.95, 0.9], prompt_strengths=[0.9, 1.0, 0.8],
         guidance=1.0, bootstrap_steps=0, mix_steps=1.0, tile_size=64),
    # No case without a photo: with background=None and a background_prompt the
    # paper's __call__ prepends the background prompt as a region of its own and
    # then fails its own check `uncond_embeds.shape[0] == ... == num_prompts`
    # (p + 1 embeddings for p prompts), so that path cannot run.
]
BACKGROUND_PROMPT = ("a photo of a quiet valley", "low quality")


class Store:
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


def run_case(pipe, log, capture, store, c):
    masks = painted_regions()[:3]                                # three [32,32] painted masks
    image = photo(c["height"], c["width"]) if c["with_photo"] else None
    pipe.mask_type = c["mask_type"]
    pipe.prepare_lcm_schedule(c["t_index_list"], 50)
    timesteps = [int(t) for t in pipe.timesteps]
    kwargs = dict(prompts=[p for p, _ in REGIONS], negative_prompts=[n for _, n in REGIONS],
                  background=None if image is None else image[None].clone(),
                  background_prompt=BACKGROUND_PROMPT[0], background_negative_prompt=BACKGROUND_PROMPT[1],
                  height=c["height"], width=c["width"], guidance_scale=c["guidance"],
                  prompt_strengths=c["prompt_strengths"], masks=torch.stack(masks)[:, None],
                  mask_strengths=c["mask_strengths"], mask_stds=c["mask_stds"], tile_size=c["tile_size"],
                  bootstrap_steps=c["bootstrap_steps"], boostrap_mix_steps=c["mix_steps"],
                  bootstrap_leak_sensitivity=c["leak"], preprocess_mask_cover_alpha=c["cover"])
    if image is not None:
        # The paper resizes the photo bicubically; at canvas size that is the identity.
        same = F.interpolate(image[None], size=image.shape[-2:], mode="bicubic", align_corners=False)
        assert torch.equal(same, image[None])
    capture.values.clear()
    log.start(c["seed"])
    with torch.no_grad():
        pipe(**kwargs)
    draws = log.stop()
    n_views = 1
    if c["height"] > c["tile_size"] or c["width"] > c["tile_size"]:
        n_views = len(pipe_views(c))
    labels = label_draws(draws, len(timesteps), c["bootstrap_steps"], n_views)
    assert n_views == 1 or c["bootstrap_steps"] == 0, "per-view bootstrap draws cannot be replayed"

    name = c["name"]
    t = store.tensors
    entry = {"seed": c["seed"], "timesteps": timesteps, "tile_size": c["tile_size"], "views": n_views}
    entry["scene"] = {
        "width": c["width"], "height": c["height"],
        "background": {"image": None if image is None else store.shared("input.image", image),
                       "prompt": BACKGROUND_PROMPT[0], "negative_prompt": BACKGROUND_PROMPT[1]},
        "regions": [{"prompt": p, "negative_prompt": n, "prompt_strength": s, "mask_strength": ms,
                     "blur_sigma": sd, "enabled": True, "mask": store.shared("input.mask", m)}
                    for (p, n), s, ms, sd, m in zip(REGIONS, c["prompt_strengths"], c["mask_strengths"],
                                                    c["mask_stds"], masks)],
        "settings": {"step_indices": c["t_index_list"], "mask_mode": c["mask_type"],
                     "bootstrap_steps": c["bootstrap_steps"], "bootstrap_mix_steps": c["mix_steps"],
                     "cover_alpha": c["cover"], "guidance": c["guidance"], "leak_sensitivity": c["leak"],
                     "tile_size": c["tile_size"]},
    }
    entry["paper_call"] = {k: v for k, v in kwargs.items() if k not in ("masks", "background")}
    entry["paper_call"]["masks"] = "the scene's region masks as a [3,1,32,32] tensor"
    entry["paper_call"]["background"] = None if image is None else "the scene's photo as a [1,3,H,W] tensor"
    entry["paper_call"]["mask_type"] = c["mask_type"]
    entry["paper_call"]["t_index_list"] = c["t_index_list"]
    entry["draws"] = [{"label": lab, "fn": d["fn"], "caller": d["caller"], "shape": d["shape"]}
                      for lab, d in zip(labels, draws)]
    entry["tensors"] = {
        "draws": store.put(f"{name}.draws", torch.cat([d["tensor"] for d in draws])),
        "latent": store.put(f"{name}.latent", capture.values["latent"]),
        "image": store.put(f"{name}.image", capture.values["image"][None]),
        # (p, T, 1, h, w) -> [p, T, h, w]; without a photo the background region comes first.
        "masks": store.put(f"{name}.masks", capture.values["masks"][:, :, 0]),
    }
    print(f"  {name}: timesteps {timesteps}, {len(draws)} draws ({', '.join(labels)}), "
          f"|latent| max {t[entry['tensors']['latent']].abs().max():.4f}")
    return entry


def write_goldens(store, golden, stem):
    """tests/data/paper/<stem>.safetensors (the store's tensors) and <stem>.json."""
    OUT.mkdir(parents=True, exist_ok=True)
    tensors, meta = OUT / f"{stem}.safetensors", OUT / f"{stem}.json"
    save_file(store.tensors, str(tensors))
    tensors.chmod(0o644)
    meta.write_text(json.dumps(golden, indent=1, sort_keys=True) + "\n")
    for f in (tensors, meta):
        print(f"wrote {f} ({f.stat().st_size} bytes)")


def pipe_views(c):
    import util as paper_util
    t = (c["tile_size"] + 7) // 8
    views, _ = paper_util.get_panorama_views(c["height"] // 8, c["width"] // 8, t)
    return views


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--paper", type=pathlib.Path, required=True, help="checkout of the paper's code")
    parser.add_argument("--model", type=pathlib.Path, default=CPP_MODEL)
    args = parser.parse_args()
    if not (args.model / "model_index.json").exists():
        sys.exit(f"{args.model}: no model; run semdraw-cli make-model --preset tiny --seed 7 --out {args.model}")
    warnings.filterwarnings("ignore")
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)

    paper_util, paper_one_shot = import_paper(args.paper)
    real_white = patch_paper(paper_one_shot, args.model)
    capture = Capture(paper_util, paper_one_shot)
    log = DrawLog()
    pipe = paper_one_shot.StableMultiDiffusionPipeline(torch.device("cpu"), dtype=torch.float32, has_i2t=False)
    assert pipe.vae_scale_factor == 8 and isinstance(pipe.scheduler, LCMScheduler)

    # How far the unpatched white latent (a crop of the 768x768 one) is from an exact 64x64 encode.
    with torch.no_grad():
        exact = pipe.get_white_background(64, 64).clone()
        pipe.white = None
        del pipe.white
        real_white(pipe, 768, 768)
        crop = real_white(pipe, 64, 64).clone()
    white_diff = float((crop - exact).abs().max())
    print(f"white latent: unpatched 768x768 crop vs exact 64x64 encode: max abs diff {white_diff:.4g}")

    store = Store()
    golden = {"generator": "tests/reference/paper_golden.py", "paper_class": "StableMultiDiffusionPipeline",
              "paper_module": "src/model/pipeline_stablemultidiffusion.py", "model_folder": str(args.model),
              "model_sha256": fingerprint(args.model), "patches": PATCHES,
              "white_crop_vs_exact": float(f"{white_diff:.4g}"),
              "noise_order": "initial; then per step k: bootstrap[k] if k < bootstrap_steps, renoise[k] if k < N-1",
              "cases": {}}
    for c in CASES:
        golden["cases"][c["name"]] = run_case(pipe, log, capture, store, c)

    write_goldens(store, golden, "paper")


if __name__ == "__main__":
    main()

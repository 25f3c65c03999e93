"""Pipeline goldens (docs/ALGORITHM.md §7 one-shot, §8 stream) from the Python references
on a tiny seeded model, with every noise injected and stored.

    .venv-ref/bin/python tests/reference/pipeline_golden.py [--model DIR]

DIR is a diffusers-layout folder; by default the folder written by
`semdraw-cli make-model --preset tiny --seed 7 --out /tmp/tiny` when it exists,
else a Python-built stand-in (tiny_pipeline_model.py) in /tmp/semdraw-ref-tiny.
The stream codec is the folder's TAESD when it has one (taesd/ or vae_tiny/),
else its full VAE. Writes tests/data/pipeline/:
  inputs.safetensors     painted masks and background images (named by content)
  stream.safetensors     (a) and (b) (+ cfg "full"): injected noises, every frame's
                         latent, every step's aggregated latent, frame-0 internals,
                         (a)'s last frame decoded
  oneshot.safetensors    (c) single tile, tiled, leak suppression, over a photo; (d) the diffusers
                         checks (reference latent and diffusers' latent)
  pipeline.json          scenes, settings, tensor names, model fingerprint
Deterministic: CPU fp32, fixed seeds, deterministic algorithms, one thread;
running it twice writes identical files.
"""
import argparse
import hashlib
import json
import pathlib
import warnings

import torch
from diffusers import (AutoencoderKL, AutoencoderTiny, LCMScheduler, StableDiffusionPipeline,
                       UNet2DConditionModel)
from safetensors.torch import save_file
from transformers import CLIPTextModel, CLIPTokenizer

from semdraw_oneshot_reference import ONE_SHOT_DEFAULTS, get_views, one_shot_reference
from semdraw_pipeline_parts import Codec, centring_shift, roll
from semdraw_reference import disc_mask, ramp_mask, rect_mask
from semdraw_stream_reference import STREAM_DEFAULTS, StreamReference

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "data" / "pipeline"
CPP_MODEL = pathlib.Path("/tmp/tiny")
FALLBACK_MODEL = pathlib.Path("/tmp/semdraw-ref-tiny")
TAESD_FOLDERS = ("taesd", "vae_tiny", "tiny_vae")
CHECK_TOLERANCE = 1e-4


# --- model ------------------------------------------------------------------------

def load_models(folder: pathlib.Path):
    f32 = dict(torch_dtype=torch.float32)
    models = {
        "unet": UNet2DConditionModel.from_pretrained(folder / "unet", **f32).eval(),
        "text_encoder": CLIPTextModel.from_pretrained(folder / "text_encoder", **f32).eval(),
        # The engine's own vocabulary when the folder carries no tokenizer/.
        "tokenizer": CLIPTokenizer.from_pretrained(folder / "tokenizer" if (folder / "tokenizer").is_dir()
                                                   else ROOT / "resources" / "clip"),
        "vae": AutoencoderKL.from_pretrained(folder / "vae", **f32).eval(),
        # docs/ALGORITHM.md §1 fixes the LCM settings (the scheduler golden uses the same defaults).
        "scheduler": LCMScheduler(),
        "taesd": None,
    }
    for name in TAESD_FOLDERS:
        if (folder / name).is_dir():
            models["taesd"] = AutoencoderTiny.from_pretrained(folder / name, **f32).eval()
            models["taesd_folder"] = name
            break
    return models


def fingerprint(folder: pathlib.Path):
    """sha256 of every weight file, so a test can tell it holds the same model."""
    out = {}
    for path in sorted(folder.rglob("*.safetensors")):
        out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


# --- scenes -----------------------------------------------------------------------

def painted_regions(moved=False):
    """Three regions painted on a 32x32 grid (resized to the canvas), plus a disabled one."""
    n = 32
    masks = [
        rect_mask(n, n, 0.0, 0.0, 0.55, 1.0),                       # sky band, top
        disc_mask(n, n, 0.55, 0.62 if moved else 0.35, 0.22),       # the disc moves right in the edit
        rect_mask(n, n, 0.6, 0.1, 0.95, 0.5) * ramp_mask(n, n, 0.3, 1.0),  # a soft block
        disc_mask(n, n, 0.5, 0.5, 0.4),                             # disabled: must be dropped
    ]
    return masks


def region_list(masks, prompt1="a red eagle"):
    return [
        {"prompt": "snowy mountains", "negative_prompt": "", "prompt_strength": 1.0, "mask_strength": 1.0,
         "blur_sigma": 8.0, "enabled": True, "mask": masks[0]},
        {"prompt": prompt1, "negative_prompt": "blurry", "prompt_strength": 0.8, "mask_strength": 1.0,
         "blur_sigma": 4.0, "enabled": True, "mask": masks[1]},
        {"prompt": "a small wooden cabin", "negative_prompt": "", "prompt_strength": 1.0,
         "mask_strength": 0.9, "blur_sigma": 2.0, "enabled": True, "mask": masks[2]},
        {"prompt": "a disabled region", "negative_prompt": "", "prompt_strength": 1.0, "mask_strength": 1.0,
         "blur_sigma": 8.0, "enabled": False, "mask": masks[3]},
    ]


def background_image(height, width):
    """A smooth colour gradient [3,H0,W0] in [0,1] of another size than the canvas
    (the engine resizes it: bilinear, half-pixel centres)."""
    h0, w0 = height // 2 + 3, width // 2 + 5
    yy, xx = torch.meshgrid(torch.linspace(0, 1, h0), torch.linspace(0, 1, w0), indexing="ij")
    image = torch.stack([0.2 + 0.6 * xx, 0.9 - 0.5 * yy, 0.5 + 0.3 * (xx - yy)]).clamp(0, 1)
    # Exactly k/255: the engine's scene holds 8-bit RGB, converted by /255.
    return ((image * 255).round() / 255).contiguous()


STREAM_SETTINGS = {"step_indices": [0, 4, 12, 25, 37], "mask_mode": "continuous", "bootstrap_steps": 1,
                   "bootstrap_mix_steps": 1, "cover_alpha": 0.3, "cfg_type": "none",
                   # guidance is set but cfg "none" must ignore it (g = 1)
                   "guidance": 1.2, "delta": 1.0}


def make_scene(width, height, regions, settings, image=None, bg_prompt="simple white background"):
    return {"width": width, "height": height,
            "background": {"image": image, "prompt": bg_prompt, "negative_prompt": "low quality"},
            "regions": regions, "settings": settings}


class Recorder:
    """Collects tensors and describes scenes in JSON with tensor names."""

    def __init__(self):
        self.tensors = {}

    def put(self, name, tensor):
        if name in self.tensors:
            raise KeyError(f"tensor {name} stored twice")
        self.tensors[name] = tensor.detach().float().contiguous().clone()
        return name

    def shared(self, kind, tensor):
        """Scene inputs (painted masks, background images) are stored once per content."""
        data = tensor.detach().float().contiguous()
        name = f"{kind}.{hashlib.sha256(data.numpy().tobytes()).hexdigest()[:12]}"
        if name not in self.tensors:
            self.tensors[name] = data.clone()
        return name

    def scene(self, scene, defaults):
        """The scene as JSON, with the EFFECTIVE settings (reference defaults filled in)."""
        out = {"width": scene["width"], "height": scene["height"], "settings": dict(defaults, **scene["settings"])}
        bg = dict(scene["background"])
        bg["image"] = None if bg["image"] is None else self.shared("input.image", bg["image"])
        out["background"] = bg
        out["regions"] = []
        for i, r in enumerate(scene["regions"]):
            entry = {k: v for k, v in r.items() if k != "mask"}
            entry["mask"] = self.shared("input.mask", r["mask"])
            out["regions"].append(entry)
        return out


# --- (a), (b): stream ---------------------------------------------------------------

def run_stream(models, rec, name, scenes, edit_at, frames, seed, keep_image=False):
    """Runs `frames` calls; scenes[1] (if any) is applied before call `edit_at`.
    Stored per frame: the output latent and all T aggregated step latents; for
    frame 0 also the masks, the UNet inputs (after bootstrapping, un-rolled) and
    the denoised entries, to localise a difference."""
    codec_vae = models["taesd"] if models["taesd"] is not None else models["vae"]
    stream = StreamReference(models["unet"], models["text_encoder"], models["tokenizer"], Codec(codec_vae),
                             models["scheduler"])
    stream.update(scenes[0])
    T = len(stream.schedule)
    h, w = scenes[0]["height"] // 8, scenes[0]["width"] // 8
    gen = torch.Generator().manual_seed(seed)
    per_step = torch.randn(T, 4, h, w, generator=gen)      # §9: per-step noises first
    fresh = torch.randn(frames, 4, h, w, generator=gen)    # then one fresh noise per call
    stream.set_noises(per_step)
    out, steps = [], []
    for f in range(frames):
        if f == edit_at and len(scenes) > 1:
            stream.update(scenes[1])
        out.append(stream.step(fresh[f:f + 1]))
        steps.append(stream.debug["latents"])
        if f == 0:
            rec.put(f"{name}.frame0.masks", stream.masks)
            rec.put(f"{name}.frame0.inputs", stream.debug["inputs"])
            rec.put(f"{name}.frame0.denoised", stream.debug["denoised"])
    rec.put(f"{name}.noise.per_step", per_step)
    rec.put(f"{name}.noise.fresh", fresh)
    rec.put(f"{name}.frames", torch.cat(out))
    rec.put(f"{name}.step_latents", torch.stack(steps))
    tensors = {}
    if keep_image:
        tensors["last_frame_image"] = rec.put(f"{name}.last_frame_image", stream.decode(out[-1]))
    rec.put(f"{name}.z_bg", stream.z_bg)
    rec.put(f"{name}.z_white", stream.z_white)
    print(f"  {name}: {frames} frames, T={T}, |frame| max {torch.cat(out).abs().max():.4f}, "
          f"encoded prompts {len(stream.prompts.encoded)}")
    return {"scenes": [rec.scene(s, STREAM_DEFAULTS) for s in scenes],
            "edit_before_frame": edit_at if len(scenes) > 1 else None, "frames": frames,
            "codec": "taesd" if models["taesd"] is not None else "vae", "noise_seed": seed,
            "tensors": dict(tensors, per_step_noise=f"{name}.noise.per_step", fresh_noise=f"{name}.noise.fresh",
                            frames=f"{name}.frames", step_latents=f"{name}.step_latents",
                            frame0_masks=f"{name}.frame0.masks", frame0_inputs=f"{name}.frame0.inputs",
                            frame0_denoised=f"{name}.frame0.denoised", z_bg=f"{name}.z_bg",
                            z_white=f"{name}.z_white")}


# --- (c), (d): one-shot -------------------------------------------------------------

def oneshot_noises(n_steps, bootstrap_steps, h, w, seed):
    """Drawn in the order the engine draws them (§9): the initial noise, then per
    step k the bootstrap noise (k < bootstrap_steps) and the re-noise (k < N-1).
    With no bootstrapping this is also diffusers' order (initial, step noises)."""
    gen = torch.Generator().manual_seed(seed)
    initial = torch.randn(1, 4, h, w, generator=gen)
    renoise, boot = [], []
    for k in range(n_steps):
        if k < bootstrap_steps:
            boot.append(torch.randn(1, 4, h, w, generator=gen))
        if k + 1 < n_steps:
            renoise.append(torch.randn(1, 4, h, w, generator=gen))
    return initial, {"renoise": renoise, "bootstrap": boot}


def run_oneshot(models, rec, name, scene, seed, steps=None, tile_size=512, keep_image=True):
    h, w = scene["height"] // 8, scene["width"] // 8
    n_steps = steps if steps is not None else len(scene["settings"]["step_indices"])
    initial, noises = oneshot_noises(n_steps, int(scene["settings"]["bootstrap_steps"]), h, w, seed)
    result = one_shot_reference(models, scene, initial, steps=steps, tile_size=tile_size, rng_noises=noises)
    rec.put(f"{name}.noise.initial", initial)
    tensors = {"initial_noise": f"{name}.noise.initial"}
    if noises["renoise"]:
        tensors["renoise_noise"] = rec.put(f"{name}.noise.renoise", torch.cat(noises["renoise"]))
    if noises["bootstrap"]:
        tensors["bootstrap_noise"] = rec.put(f"{name}.noise.bootstrap", torch.cat(noises["bootstrap"]))
    tensors["latent"] = rec.put(f"{name}.latent", result["latent"])
    tensors["step_latents"] = rec.put(f"{name}.step_latents", result["steps"])
    tensors["masks"] = rec.put(f"{name}.masks", result["masks"])
    if keep_image:
        tensors["image"] = rec.put(f"{name}.image", result["image"])
    print(f"  {name}: timesteps {result['timesteps'].tolist()}, |latent| max {result['latent'].abs().max():.4f}")
    return {"scene": rec.scene(scene, ONE_SHOT_DEFAULTS), "steps": steps, "tile_size": tile_size,
            "noise_order": "initial; then per step k: bootstrap[k] if k < bootstrap_steps, renoise[k] if k < N-1",
            "timesteps": result["timesteps"].tolist(), "noise_seed": seed, "tensors": tensors}, result


def make_diffusers_pipeline(models):
    pipe = StableDiffusionPipeline(vae=models["vae"], text_encoder=models["text_encoder"],
                                   tokenizer=models["tokenizer"], unet=models["unet"],
                                   scheduler=LCMScheduler(), safety_checker=None, feature_extractor=None,
                                   requires_safety_checker=False)
    pipe.set_progress_bar_config(disable=True)
    return pipe


def full_region(size, sigma, negative=""):
    return {"prompt": "a red eagle", "negative_prompt": negative, "prompt_strength": 1.0, "mask_strength": 1.0,
            "blur_sigma": sigma, "enabled": True, "mask": torch.ones(size, size)}


def diffusers_check(models, rec, name, seed, guidance, negative):
    """(d): one full-canvas region, no bootstrapping, N = 4 explicit steps must
    equal diffusers' StableDiffusionPipeline + LCMScheduler on the same noise
    (guidance 1: no guidance; guidance > 1: classifier-free guidance with the
    region's negative prompt)."""
    steps, size = 4, 64
    settings = {"mask_mode": "continuous", "bootstrap_steps": 0, "guidance": guidance, "cover_alpha": 0.3}
    region = full_region(size, 1.0, negative)
    scene = make_scene(size, size, [region], settings)
    # diffusers draws the initial latent, then one step noise per non-final step,
    # from the generator: the same order as oneshot_noises (no bootstrap noise).
    entry, result = run_oneshot(models, rec, name, scene, seed, steps=steps, keep_image=False)
    with torch.no_grad():
        reference = make_diffusers_pipeline(models)(
            prompt=region["prompt"], negative_prompt=negative or None, height=size, width=size,
            num_inference_steps=steps, guidance_scale=guidance, generator=torch.Generator().manual_seed(seed),
            output_type="latent").images
    diff = (reference - result["latent"]).abs().max().item()
    print(f"  {name}: max |reference - diffusers StableDiffusionPipeline| = {diff:.3e} (tolerance {CHECK_TOLERANCE})")
    assert diff < CHECK_TOLERANCE, f"one-shot reference ({name}) differs from diffusers by {diff}"
    entry["tensors"]["diffusers_latent"] = rec.put(f"{name}.diffusers_latent", reference)
    entry["max_abs_diff_vs_diffusers"] = float(f"{diff:.3e}")
    return entry


def stream_check(models, seed, cfg_type, guidance, negative):
    """(e): with one full-canvas region, no bootstrapping and no guidance the
    stream is a pipelined LCM render: the frame of call T-1 is the fresh noise of
    call 0 taken through all T steps, re-noised with N_1..N_{T-1}. That must equal
    diffusers' StableDiffusionPipeline with the same custom timesteps and noise."""
    size = 64
    settings = dict(STREAM_SETTINGS, bootstrap_steps=0, cfg_type=cfg_type, guidance=guidance)
    region = full_region(size, 8.0, negative)
    scene = make_scene(size, size, [region], settings)
    stream = StreamReference(models["unet"], models["text_encoder"], models["tokenizer"],
                             Codec(models["taesd"] if models["taesd"] is not None else models["vae"]),
                             models["scheduler"])
    stream.update(scene)
    T, h = len(stream.schedule), size // 8
    # The generator order diffusers uses: initial latent, then one noise per non-final step.
    gen = torch.Generator().manual_seed(seed)
    initial = torch.randn(1, 4, h, h, generator=gen)
    step_noises = [torch.randn(1, 4, h, h, generator=gen) for _ in range(T - 1)]
    stream.set_noises(torch.cat([torch.zeros(1, 4, h, h)] + step_noises))
    fresh = [initial] + [torch.zeros(1, 4, h, h)] * (T - 1)
    frame = None
    for f in range(T):
        frame = stream.step(fresh[f])
    with torch.no_grad():
        reference = make_diffusers_pipeline(models)(
            prompt=region["prompt"], negative_prompt=negative or None, height=size, width=size,
            timesteps=stream.schedule.timesteps.tolist(), guidance_scale=guidance,
            generator=torch.Generator().manual_seed(seed), output_type="latent").images
    diff = (reference - frame).abs().max().item()
    print(f"  stream check cfg {cfg_type} g {guidance}: max |frame T-1 - diffusers (custom timesteps)| = {diff:.3e}")
    assert diff < CHECK_TOLERANCE, f"stream reference differs from diffusers by {diff}"
    return {"cfg_type": cfg_type, "guidance": guidance, "max_abs_diff_vs_diffusers": float(f"{diff:.3e}"),
            "timesteps": stream.schedule.timesteps.tolist(),
            "noise_seed": seed, "note": "self-check of the reference only; no tensors stored"}


def check_centring():
    """§5's bounding-box shift and the roll that undoes it."""
    mask = torch.zeros(8, 8)
    mask[1:3, 5:8] = 1
    assert centring_shift(mask) == (-2, 2), centring_shift(mask)
    rolled = roll(mask, centring_shift(mask), -1)
    assert rolled[3:5, 3:6].sum() == 6 and rolled.sum() == 6, "centring does not move the box to the centre"
    assert torch.equal(roll(rolled, centring_shift(mask), +1), mask)
    assert centring_shift(torch.zeros(8, 6)) == (-4, -3)  # empty mask: t = b = l = r = 0


def check_views():
    """Tile weights sum to one at every latent pixel, for several canvas / tile shapes."""
    for h, w, tile in ((8, 16, 8), (8, 8, 8), (16, 24, 8), (96, 240, 64), (12, 20, 8), (10, 8, 8)):
        views, weights = get_views(h, w, tile)
        total = torch.stack(weights).sum(0)
        assert (total - 1).abs().max() < 1e-6, f"tile weights for {h}x{w}/{tile} do not sum to one"
        for (y0, y1, x0, x1), wt in zip(views, weights):
            outside = wt.clone()
            outside[y0:y1, x0:x1] = 0
            assert outside.abs().max() == 0, "a tile weight leaks outside its view"
            assert y1 - y0 <= tile and x1 - x0 <= tile


# --- main ---------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=pathlib.Path, default=None)
    args = parser.parse_args()
    folder = args.model
    if folder is None:
        if (CPP_MODEL / "model_index.json").exists():
            folder = CPP_MODEL
        else:
            import tiny_pipeline_model
            if not (FALLBACK_MODEL / "model_index.json").exists():
                tiny_pipeline_model.build(FALLBACK_MODEL)
            folder = FALLBACK_MODEL
    print(f"model: {folder}")

    # LCMScheduler's default steps_offset (0) draws a deprecation note from
    # StableDiffusionPipeline; LCM's timesteps do not use steps_offset.
    warnings.filterwarnings("ignore", category=FutureWarning)
    torch.manual_seed(0)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    check_views()
    check_centring()
    models = load_models(folder)
    rec = Recorder()
    golden = {"generator": "tests/reference/pipeline_golden.py", "model_folder": str(folder),
              "model_sha256": fingerprint(folder), "stream_codec_folder": models.get("taesd_folder"),
              "model_command": ("semdraw-cli make-model --preset tiny --seed 7 --out /tmp/tiny"
                                if folder == CPP_MODEL else "tiny_pipeline_model.py (Python stand-in)"),
              "notes": "see the choice lists at the top of semdraw_stream_reference.py / "
                       "semdraw_oneshot_reference.py / semdraw_pipeline_parts.py"}

    # (a) stream, 3 regions (+1 disabled), continuous masks, 2T frames, edit after frame T
    T = len(STREAM_SETTINGS["step_indices"])
    before = make_scene(64, 64, region_list(painted_regions()), STREAM_SETTINGS)
    after = make_scene(64, 64, region_list(painted_regions(moved=True), prompt1="a blue parrot"), STREAM_SETTINGS)
    golden["stream_a"] = run_stream(models, rec, "stream_a", [before, after], T, 2 * T, seed=101,
                                   keep_image=True)

    # (b) stream with residual guidance: a background image and two bootstrap steps
    # with a fractional mix so the bootstrap latents b_0, b_1 differ.
    image = background_image(64, 64)
    # stream_full (not asked for, cheap): the appended unconditional batch with centring.
    for name, cfg, delta, seed in (("stream_self", "self", 1.0, 102), ("stream_init", "initialize", 0.9, 103),
                                   ("stream_full", "full", 1.0, 104)):
        settings = dict(STREAM_SETTINGS, cfg_type=cfg, guidance=1.2, delta=delta, bootstrap_steps=2,
                        bootstrap_mix_steps=1.5)
        scene = make_scene(64, 64, region_list(painted_regions()), settings, image=image)
        golden[name] = run_stream(models, rec, name, [scene], None, T, seed=seed)

    # (c) one-shot: single tile (no image: the background prompt is a region of
    # its own) and tiled (64x128 canvas, tile 64 -> 3 views, a background image,
    # two bootstrap steps, semi-continuous masks).
    single_settings = {"step_indices": [0, 4, 12, 25, 37], "mask_mode": "discrete", "bootstrap_steps": 1,
                       "bootstrap_mix_steps": 1, "cover_alpha": 0.3, "guidance": 1.2,
                       "leak_suppression": True, "leak_sensitivity": 0.2}
    regions = region_list(painted_regions())
    for r in regions:
        r["blur_sigma"] = 1.0
    golden["oneshot_single"], _ = run_oneshot(models, rec, "oneshot_single",
                                              make_scene(64, 64, regions, single_settings), seed=201)
    tiled_settings = dict(single_settings, mask_mode="semi-continuous", bootstrap_steps=2, bootstrap_mix_steps=1.5)
    golden["oneshot_tiled"], _ = run_oneshot(models, rec, "oneshot_tiled",
                                             make_scene(128, 64, regions, tiled_settings,
                                                        image=background_image(64, 128)),
                                             seed=202, tile_size=64)
    # leak suppression over two bootstrap steps, single tile, no guidance, over
    # a photo (which fills what the scaled-down masks leave; without one the
    # average renormalises the scale away where a region is alone). On the
    # tiny random model denoised latents sit far from the bootstrap latent
    # (|x| ~ 80), so at the default sensitivity (0.2) the factor is 1 to
    # rounding; sensitivity 500 puts it between 0.1 and 0.8, so the golden
    # shows the suppression itself.
    leak_settings = dict(single_settings, guidance=1.0, bootstrap_steps=2, mask_mode="continuous",
                         leak_sensitivity=500.0)
    golden["oneshot_leak"], _ = run_oneshot(models, rec, "oneshot_leak",
                                            make_scene(64, 64, regions, leak_settings,
                                                       image=background_image(64, 64)), seed=203)
    # over a photo, with mixed blur and mask strengths below one: the default
    # steps start at t = 999, so from noise alone; the later steps start from
    # the noised photo. The final image is blended over the photo with the
    # masks before strength.
    photo_regions = region_list(painted_regions())
    for r, sigma, strength in zip(photo_regions, (1.0, 2.5, 4.0, 1.0), (1.0, 0.8, 0.9, 1.0)):
        r["blur_sigma"], r["mask_strength"] = sigma, strength
    photo_settings = dict(single_settings, mask_mode="continuous", guidance=1.0)
    photo = background_image(64, 64)
    golden["oneshot_photo"], _ = run_oneshot(models, rec, "oneshot_photo",
                                             make_scene(64, 64, photo_regions, photo_settings, image=photo),
                                             seed=204)
    late_settings = dict(photo_settings, step_indices=[4, 12, 25, 37])
    golden["oneshot_photo_late"], _ = run_oneshot(models, rec, "oneshot_photo_late",
                                                  make_scene(64, 64, photo_regions, late_settings, image=photo),
                                                  seed=205)

    # (d) the check against diffusers' own pipeline
    golden["check"] = diffusers_check(models, rec, "check", seed=301, guidance=1.0, negative="")
    golden["check_cfg"] = diffusers_check(models, rec, "check_cfg", seed=303, guidance=1.2, negative="blurry")
    # (e) the stream's own checks against diffusers (nothing stored)
    golden["stream_check"] = [stream_check(models, seed=302, cfg_type="none", guidance=1.0, negative=""),
                              stream_check(models, seed=304, cfg_type="full", guidance=1.2, negative="blurry")]

    OUT.mkdir(parents=True, exist_ok=True)
    files = {"inputs.safetensors": ("input.",), "stream.safetensors": ("stream",),
             "oneshot.safetensors": ("oneshot", "check")}
    for file, prefixes in files.items():
        save_file({k: v for k, v in rec.tensors.items() if k.startswith(prefixes)}, str(OUT / file))
        (OUT / file).chmod(0o644)  # save_file creates 0600
    assert sum(1 for k in rec.tensors if any(k.startswith(p) for ps in files.values() for p in ps)) == len(rec.tensors)
    (OUT / "pipeline.json").write_text(json.dumps(golden, indent=1, sort_keys=True) + "\n")
    for f in list(files) + ["pipeline.json"]:
        print(f"wrote {OUT / f} ({(OUT / f).stat().st_size} bytes)")


if __name__ == "__main__":
    main()

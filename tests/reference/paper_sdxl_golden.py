"""Parity goldens from the SemanticDraw paper's OWN SDXL code
(StableMultiDiffusionSDXLPipeline, the one-shot region renderer with SDXL-Lightning's
Euler sampler and trailing timesteps), run on our tiny seeded SDXL model with every
random draw it makes recorded, so tests/parity/paper_sdxl_parity_test.cpp can replay
them through the engine (SamplerChoice::EulerTrailing).

    .venv-ref/bin/python tests/reference/paper_sdxl_golden.py --paper /tmp/sd [--model DIR]

--paper is a checkout of the paper's repository (its src/ holds model/ and util.py).
It is never committed and nothing of it is copied here: this script imports
model/pipeline_stablemultidiffusion_sdxl.py from that path at run time (not the model
package). --model defaults to build/test-models/tiny-sdxl-seed3, the folder written by
`semdraw-cli make-model --preset tiny-sdxl --seed 3 --out ...` that the C++ tests load
(tests/parity/tiny_sdxl_bundle.h).

The paper's class is constructed and called unchanged; only these RUN-TIME patches are
applied (listed again in paper_sdxl.json under "patches"):
  * load_model (the module-level name the pipeline imported from util): returns a
    StableDiffusionXLPipeline assembled from the tiny folder in fp32 on the CPU. The
    pipeline is built with hf_key set (its LoRA branch), so it calls load_model rather
    than downloading SDXL-base and the Lightning UNet.
  * hf_hub_download -> a placeholder path; pipe.load_lora_weights / set_adapters /
    fuse_lora -> no-ops (the tiny UNet stands for the Lightning-distilled one).
  * the captioner: has_i2t=False (constructor argument: BLIP-2 is never loaded) and
    every call passes background_prompt, so get_text_prompts is never reached.
  * device / dtype: constructor arguments cpu / float32. The scheduler is what the
    paper itself sets up: EulerDiscreteScheduler.from_config(<the folder's scheduler
    config>, timestep_spacing="trailing"), its step list by prepare_lightning_schedule.
  * DiagonalGaussianDistribution.sample returns the posterior mean (the engine encodes
    the photo and the white image with the mean; docs/ALGORITHM.md §10).
  * get_white_background encodes a white image of exactly the requested size. Unpatched
    the paper keeps the latent of a 1024x1024 white image made at construction and
    returns its top-left crop; the difference at 64x64 is printed and stored as
    white_crop_vs_exact.
  * tqdm silent.
  * capture only: process_mask's output (the processed masks), the argument of
    vae.decode (the final latent / scaling_factor; stored multiplied back, which is
    exact to an ulp), and the tensor util.blend hands to ToPILImage (the blended image).
    None changes a value.
Random draws: torch.randn / torch.randn_like are wrapped and every draw is recorded in
call order (torch.manual_seed(case seed) before each call). The paper's SDXL __call__
draws the initial noise with torch.randn; when it does NOT start from the noised photo
(timesteps[0] >= 999, or no photo) it draws a SECOND noise that replaces the first, so
the first is never used ("discarded" below). Euler with s_churn = 0 draws nothing more:
scheduler_add_noise(..., initial=True) is always handed that noise (the photo at every
step's sigma, the white bootstrap image), and the post-step re-noise is gated on
gamma > 0. The engine draws once: its "initial" is the paper's last draw.

Cases (three painted regions over a photo; 64x64, a single view, unless said):
  paper_sdxl_photo: the paper's default index list [0, 4, 12, 25, 37] into 50 trailing
    steps (t = 999 first: from noise alone), guidance 0 as the paper's SDXL demo runs
    (default_guidance_scale = 0.0: no classifier-free guidance), bootstrap_steps 1,
    continuous masks.
  paper_sdxl_photo_late: [4, 12, 25, 37] (t = 919 first: from the photo noised at
    sigma_0), bootstrap_steps 2 with mix 1.5 (white, then half white / half photo),
    semi-continuous masks, guidance 1.5 with guidance_rescale=0 passed explicitly (the
    paper's default 0.7 rescale is something the engine does not do) and non-empty
    negative prompts everywhere (the engine zeros an EMPTY SDXL negative prompt, as
    diffusers does for negative_prompt=None; the paper always passes a list of strings,
    so it encodes "" through both text encoders).
  paper_sdxl_tiled: 128x64 with tile_size 64 (three overlapping views), from noise,
    discrete masks, bootstrap_steps 1 (Euler bootstraps every view with the one first
    noise, so tiles and bootstrapping replay together), guidance 0. The time ids are the
    paper's own: the canvas size as original and target size, the view's offset in
    pixels as crop coordinates (the engine follows this; before, it gave each view its
    own size and crop (0, 0), 1.7e-2 relative off).
Not covered: no-photo scenes (the paper bootstraps over latent_[:1] there, see
docs/ALGORITHM.md).

--diagnose adds cases that measure known differences (never committed; the C++ test runs
every case the json holds): diag_late_empty_negative (empty negative prompts: the paper encodes
""; the engine zeros an empty SDXL negative), diag_late_empty_negative_zeroed (the paper's
encode_prompt output zeroed for empty negatives: the engine's rule), diag_late_rescale (the
paper's default guidance_rescale 0.7, which the engine does not do).

Writes tests/data/paper/paper_sdxl.json and paper_sdxl.safetensors.
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
# paper_harness first: it sets the offline switches before diffusers is imported.
from paper_harness import (BACKGROUND_PROMPT, ROOT, DrawLog, Store, deterministic_cpu,  # noqa: E402
                           encode_with_posterior_mean, exact_white_background, golden_header, import_paper_module,
                           one_shot_record, one_shot_scene, parse_arguments, photo, record_pil_conversions,
                           require_model, view_count, white_crop_difference, write_goldens)
import torch  # noqa: E402
from diffusers import EulerDiscreteScheduler, StableDiffusionXLPipeline  # noqa: E402
from pipeline_golden import painted_regions  # noqa: E402

DEFAULT_MODEL = ROOT / "build" / "test-models" / "tiny-sdxl-seed3"
PATCHES = [
    "load_model -> StableDiffusionXLPipeline from the tiny SDXL folder, fp32, CPU (hf_key given: no hub download)",
    "hf_hub_download -> placeholder path; pipe.load_lora_weights / set_adapters / fuse_lora -> no-ops",
    "has_i2t=False (constructor argument) and background_prompt always given: no BLIP-2",
    "device=cpu, dtype=float32 (constructor arguments); scheduler as the paper sets it: "
    "EulerDiscreteScheduler.from_config(folder scheduler config, timestep_spacing='trailing')",
    "DiagonalGaussianDistribution.sample -> posterior mean (the engine encodes with the mean)",
    "get_white_background -> encodes white at exactly the requested size (no 1024x1024 crop)",
    "tqdm -> silent",
    "capture only: process_mask output, vae.decode input (x scaling_factor), tensor util.blend converts to PIL",
]

REGIONS = [  # prompt, negative prompt
    ("snowy mountains", "ugly"),
    ("a red eagle", "blurry"),
    ("a small wooden cabin", "dark"),
]


def import_paper(root: pathlib.Path):
    return import_paper_module(root, "pipeline_stablemultidiffusion_sdxl")


def patch_paper(paper_sdxl, folder: pathlib.Path):
    def load_model(model_key, sd_version, device, dtype):
        assert sd_version == "xl" and dtype == torch.float32 and torch.device(device).type == "cpu"
        pipe = StableDiffusionXLPipeline.from_pretrained(folder, torch_dtype=torch.float32, local_files_only=True)
        pipe.load_lora_weights = lambda *args, **kwargs: None
        pipe.set_adapters = lambda *args, **kwargs: None
        pipe.fuse_lora = lambda *args, **kwargs: None
        return pipe

    paper_sdxl.load_model = load_model
    paper_sdxl.hf_hub_download = lambda repo, name, *args, **kwargs: f"/nonexistent/{repo}/{name}"
    paper_sdxl.tqdm = lambda iterable, *args, **kwargs: iterable
    encode_with_posterior_mean()
    return exact_white_background(paper_sdxl.StableMultiDiffusionSDXLPipeline)


class Capture:
    """Records what the paper's pipeline computes without changing it."""

    def __init__(self, paper_util, paper_sdxl):
        self.values = {}
        values = self.values
        cls = paper_sdxl.StableMultiDiffusionSDXLPipeline
        real_process = cls.process_mask

        def process_mask(self, *args, **kwargs):
            out = real_process(self, *args, **kwargs)
            values["masks"] = out[0].detach().clone()  # (p, T, 1, h, w)
            return out

        cls.process_mask = process_mask
        record_pil_conversions(values, paper_util, paper_sdxl)

    def watch_vae(self, vae):
        values = self.values
        real_decode = vae.decode

        def decode(latent, *args, **kwargs):
            assert getattr(vae.config, "latents_mean", None) is None
            values["latent"] = (latent * vae.config.scaling_factor).detach().clone()
            return real_decode(latent, *args, **kwargs)

        vae.decode = decode


def case(name, seed, *, t_index_list, mask_type, mask_stds, mask_strengths, prompt_strengths, guidance,
         bootstrap_steps, mix_steps, leak=0.2, cover=0.3, guidance_rescale=0.0, width=64, tile_size=1024,
         regions=None, zero_empty_negatives=False):
    return dict(name=name, seed=seed, width=width, height=64, t_index_list=t_index_list, mask_type=mask_type,
                mask_stds=mask_stds, mask_strengths=mask_strengths, prompt_strengths=prompt_strengths,
                guidance=guidance, bootstrap_steps=bootstrap_steps, mix_steps=mix_steps, leak=leak, cover=cover,
                guidance_rescale=guidance_rescale, tile_size=tile_size, regions=regions or REGIONS,
                zero_empty_negatives=zero_empty_negatives)


CASES = [
    case("paper_sdxl_photo", 501, t_index_list=[0, 4, 12, 25, 37], mask_type="continuous",
         mask_stds=[1.0, 2.5, 4.0], mask_strengths=[1.0, 0.8, 0.9], prompt_strengths=[1.0, 0.8, 0.9],
         guidance=0.0, bootstrap_steps=1, mix_steps=1.0),
    case("paper_sdxl_photo_late", 502, t_index_list=[4, 12, 25, 37], mask_type="semi-continuous",
         mask_stds=[1.0, 2.5, 4.0], mask_strengths=[1.0, 0.8, 0.9], prompt_strengths=[0.7, 1.0, 0.85],
         guidance=1.5, bootstrap_steps=2, mix_steps=1.5),
]
CASES.append(case("paper_sdxl_tiled", 503, t_index_list=[0, 4, 12, 25, 37], mask_type="discrete",
                  mask_stds=[2.0, 1.0, 3.0], mask_strengths=[1.0, 0.95, 0.9], prompt_strengths=[0.9, 1.0, 0.8],
                  guidance=0.0, bootstrap_steps=1, mix_steps=1.0, width=128, tile_size=64))
# --diagnose: cases that measure a known difference (not committed).
DIAG_CASES = [
    case("diag_late_empty_negative", 502, t_index_list=[4, 12, 25, 37], mask_type="semi-continuous",
         mask_stds=[1.0, 2.5, 4.0], mask_strengths=[1.0, 0.8, 0.9], prompt_strengths=[0.7, 1.0, 0.85],
         guidance=1.5, bootstrap_steps=2, mix_steps=1.5,
         regions=[("snowy mountains", ""), ("a red eagle", "blurry"), ("a small wooden cabin", "")]),
    case("diag_late_empty_negative_zeroed", 502, t_index_list=[4, 12, 25, 37], mask_type="semi-continuous",
         mask_stds=[1.0, 2.5, 4.0], mask_strengths=[1.0, 0.8, 0.9], prompt_strengths=[0.7, 1.0, 0.85],
         guidance=1.5, bootstrap_steps=2, mix_steps=1.5, zero_empty_negatives=True,
         regions=[("snowy mountains", ""), ("a red eagle", "blurry"), ("a small wooden cabin", "")]),
    case("diag_late_rescale", 502, t_index_list=[4, 12, 25, 37], mask_type="semi-continuous",
         mask_stds=[1.0, 2.5, 4.0], mask_strengths=[1.0, 0.8, 0.9], prompt_strengths=[0.7, 1.0, 0.85],
         guidance=1.5, bootstrap_steps=2, mix_steps=1.5, guidance_rescale=0.7),
]


class zeroed_empty_negatives:
    """DIAGNOSTIC only: encode_prompt returns zeros for every empty negative prompt (the
    engine's SDXL rule) instead of encoding "" through both text encoders."""

    def __init__(self, pipe, active):
        self.pipe, self.active = pipe, active

    def __enter__(self):
        if not self.active:
            return
        real = self.real = self.pipe.encode_prompt

        def encode_prompt(*args, negative_prompt=None, **kwargs):
            out = list(real(*args, negative_prompt=negative_prompt, **kwargs))
            for i, text in enumerate(negative_prompt):
                if text == "":
                    out[1][i] = 0
                    out[3][i] = 0
            return tuple(out)

        self.pipe.encode_prompt = encode_prompt

    def __exit__(self, *exc):
        if self.active:
            del self.pipe.encode_prompt


def label_draws(draws, from_photo):
    for d in draws:
        assert d["caller"] == "__call__" and d["fn"] == "torch.randn", f"unexpected draw {d['fn']} in {d['caller']}"
    expected = 1 if from_photo else 2
    assert len(draws) == expected, f"{len(draws)} draws, expected {expected}"
    return ["initial"] if from_photo else ["discarded", "initial"]


def run_case(pipe, log, capture, store, c):
    masks = painted_regions()[:3]
    image = photo(c["height"], c["width"])
    pipe.mask_type = c["mask_type"]
    pipe.prepare_lightning_schedule(c["t_index_list"], 50)
    timesteps = [int(t) for t in pipe.timesteps]
    sigmas = [float(s) for s in pipe.sigmas]
    regions = c["regions"]
    kwargs = dict(prompts=[p for p, _ in regions], negative_prompts=[n for _, n in regions],
                  background=image[None].clone(), background_prompt=BACKGROUND_PROMPT[0],
                  background_negative_prompt=BACKGROUND_PROMPT[1], height=c["height"], width=c["width"],
                  guidance_scale=c["guidance"], prompt_strengths=c["prompt_strengths"],
                  masks=torch.stack(masks)[:, None], mask_strengths=c["mask_strengths"], mask_stds=c["mask_stds"],
                  bootstrap_steps=c["bootstrap_steps"], boostrap_mix_steps=c["mix_steps"],
                  bootstrap_leak_sensitivity=c["leak"], preprocess_mask_cover_alpha=c["cover"],
                  guidance_rescale=c["guidance_rescale"], tile_size=c["tile_size"])
    capture.values.clear()
    log.start(c["seed"])
    with torch.no_grad(), zeroed_empty_negatives(pipe, c["zero_empty_negatives"]):
        pipe(**kwargs)
    draws = log.stop()
    from_photo = timesteps[0] < 999
    labels = label_draws(draws, from_photo)

    entry = {"seed": c["seed"], "timesteps": timesteps, "sigmas": sigmas, "views": view_count(c),
             "from_photo": from_photo,
             "scene": one_shot_scene(store, c, image, regions, masks, sampler="euler-trailing")}
    if c["zero_empty_negatives"]:
        entry["extra_patches"] = ["encode_prompt -> zeros for empty negative prompts (the engine's SDXL rule)"]
    entry.update(one_shot_record(store, c, kwargs, image, labels, draws, capture.values))
    latent = capture.values["latent"]
    print(f"  {c['name']}: timesteps {timesteps}, sigmas {[round(s, 4) for s in sigmas]}, draws {labels}, "
          f"|latent| max {latent.abs().max():.4f}")
    return entry


def main():
    args = parse_arguments(DEFAULT_MODEL, diagnose=True)
    require_model(args.model, "tiny-sdxl", 3)
    deterministic_cpu()

    paper_util, paper_sdxl = import_paper(args.paper)
    real_white = patch_paper(paper_sdxl, args.model)
    capture = Capture(paper_util, paper_sdxl)
    log = DrawLog()
    pipe = paper_sdxl.StableMultiDiffusionSDXLPipeline(torch.device("cpu"), dtype=torch.float32, hf_key="tiny-sdxl",
                                                       has_i2t=False)
    assert isinstance(pipe.scheduler, EulerDiscreteScheduler)
    assert pipe.scheduler.config.timestep_spacing == "trailing" and pipe.vae_scale_factor == 8
    capture.watch_vae(pipe.vae)
    white_diff = white_crop_difference(pipe, real_white, 1024)

    store = Store()
    golden = golden_header("paper_sdxl_golden.py", "StableMultiDiffusionSDXLPipeline",
                           "pipeline_stablemultidiffusion_sdxl", args.model, PATCHES,
                           "from the photo: initial; from noise: discarded, initial (the engine draws initial only)",
                           white_crop_vs_exact=white_diff)
    for c in CASES + (DIAG_CASES if args.diagnose else []):
        golden["cases"][c["name"]] = run_case(pipe, log, capture, store, c)
    write_goldens(store, golden, "paper_sdxl")


if __name__ == "__main__":
    main()

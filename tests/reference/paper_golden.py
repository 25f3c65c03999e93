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
import pathlib

# paper_harness first: it sets the offline switches before diffusers is imported.
from paper_harness import (BACKGROUND_PROMPT, REGIONS, DrawLog, Store, deterministic_cpu,
                           encode_with_posterior_mean, exact_white_background, golden_header, import_paper_module,
                           one_shot_record, one_shot_scene, parse_arguments, photo, record_pil_conversions,
                           require_model, view_count, white_crop_difference, write_goldens)
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from diffusers import LCMScheduler, StableDiffusionPipeline  # noqa: E402
from pipeline_golden import CPP_MODEL, load_models, painted_regions  # noqa: E402

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
    return import_paper_module(root, "pipeline_stablemultidiffusion")


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
        record_pil_conversions(values, paper_util, paper_one_shot)


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
    encode_with_posterior_mean()
    return exact_white_background(paper_one_shot.StableMultiDiffusionPipeline)


# --- scenes -------------------------------------------------------------------------

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
    n_views = view_count(c)
    labels = label_draws(draws, len(timesteps), c["bootstrap_steps"], n_views)
    assert n_views == 1 or c["bootstrap_steps"] == 0, "per-view bootstrap draws cannot be replayed"

    entry = {"seed": c["seed"], "timesteps": timesteps, "tile_size": c["tile_size"], "views": n_views,
             "scene": one_shot_scene(store, c, image, REGIONS, masks)}
    entry.update(one_shot_record(store, c, kwargs, image, labels, draws, capture.values))
    latent = capture.values["latent"]
    print(f"  {c['name']}: timesteps {timesteps}, {len(draws)} draws ({', '.join(labels)}), "
          f"|latent| max {latent.abs().max():.4f}")
    return entry


def main():
    args = parse_arguments(CPP_MODEL)
    require_model(args.model, "tiny", 7)
    deterministic_cpu()

    paper_util, paper_one_shot = import_paper(args.paper)
    real_white = patch_paper(paper_one_shot, args.model)
    capture = Capture(paper_util, paper_one_shot)
    log = DrawLog()
    pipe = paper_one_shot.StableMultiDiffusionPipeline(torch.device("cpu"), dtype=torch.float32, has_i2t=False)
    assert pipe.vae_scale_factor == 8 and isinstance(pipe.scheduler, LCMScheduler)
    white_diff = white_crop_difference(pipe, real_white, 768)

    store = Store()
    golden = golden_header("paper_golden.py", "StableMultiDiffusionPipeline", "pipeline_stablemultidiffusion",
                           args.model, PATCHES,
                           "initial; then per step k: bootstrap[k] if k < bootstrap_steps, renoise[k] if k < N-1",
                           white_crop_vs_exact=white_diff)
    for c in CASES:
        golden["cases"][c["name"]] = run_case(pipe, log, capture, store, c)
    write_goldens(store, golden, "paper")


if __name__ == "__main__":
    main()

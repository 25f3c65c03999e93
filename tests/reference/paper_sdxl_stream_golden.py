"""Parity goldens from the SemanticDraw paper's OWN SDXL stream class
(StreamMultiDiffusionSDXL, src/model/streammultidiffusion_sdxl.py: Euler with trailing
timesteps, SDXL-Lightning's sampler), run on our tiny seeded SDXL model with every random
draw it makes recorded, so tests/parity/paper_sdxl_stream_parity_test.cpp can replay them
through the engine's StreamBatch with SamplerChoice::EulerTrailing.

    .venv-ref/bin/python tests/reference/paper_sdxl_stream_golden.py --paper /tmp/sd [--model DIR]

Companion of paper_sdxl_golden.py (the one-shot SDXL class) and paper_stream_golden.py (the
SD1.5 stream class); the draw log, tensor store and stream scripting come from
paper_harness.py and paper_stream_harness.py.
Nothing of the paper's code is copied here; the class is constructed and driven through its
public methods. --model defaults to build/test-models/tiny-sdxl-seed3.

Only cfg_type 'none' runs in this class: its guided paths reference attributes that do not
exist (unet_step reads self.guidance_rescale, never set, whenever guidance_scale > 1, and
then rescales the undefined noise_pred / noise_pred_cond; 'self' and 'initialize' also read
self.beta_prod_t_sqrt_ / self.alpha_prod_t_sqrt_, which the Lightning set-up never makes).
With cfg_type 'none' the class forces guidance_scale to 1.

RUN-TIME patches (also listed in paper_sdxl_stream.json under "patches"):
  * load_model: paper_sdxl_golden's patch (StableDiffusionXLPipeline from the tiny folder,
    fp32, CPU; hf_key given so it is called; load_lora_weights / set_adapters / fuse_lora
    no-ops), hf_hub_download a placeholder path.
  * AutoencoderTiny.from_pretrained('madebyollin/taesdxl') loads the folder's taesd/ in fp32
    (the stream's codec; the engine's stream uses the same TAESD).
  * Blip2Processor / Blip2ForConditionalGeneration.from_pretrained return None (the class
    loads BLIP-2 unconditionally; the background is given with its prompt).
  * constructor arguments: device cpu, dtype float32, use_xformers=False, hf_key, the case's
    t_index_list, cfg_type 'none', seed, bootstrap settings, mask_type, 64x64.
  * decode_latents casts its input to the class dtype (__call__ decodes latent.half(), which
    the fp32 TAESD cannot take); compared latents are recorded before it.
  * capture only: unet_step's result (the T aggregated step latents of every call) and which
    calls were visible. None changes a value.
The photo is handed over as a PIL image of its exact 8-bit values, the masks as a [3,1,64,64]
tensor (the 32x32 painted masks resized to the canvas bilinearly, as paper_stream_golden.py).

Draws: init_noise [T,4,h,w] from the class's generator at construction, then one torch.randn
[1,4,h,w] per __call__ (flush calls included), scaled by init_noise_sigma (sigma at t = 999,
the first of the default list). Of init_noise only row 0 reaches a value: it enters the rolling
stock noise S (S <- [N_0] ++ S[:-1], zeros before the pipeline fills), which noises the bootstrap
latents (b_k + sigma_k S_k) and the photo outside the regions (z + sigma_{k+1} S_{k+1}, the last
clean); rows 1.. feed the buffer's post-step re-noise, which s_churn = 0 multiplies by zero.

Prompt strengths are 1 here: the class lerps the regions' token embeddings towards the
background's by prompt strength but hands the UNet the regions' own pooled embeddings
(update_layers: add_text_embeds = pooled_prompt_embeds), whereas its one-shot sibling and the
engine lerp the pooled embedding too; at strength 1 both agree. --diagnose adds two cases that
measure it (never committed; the C++ test runs every case the json holds):
diag_stream_strengths (strengths 1, 0.8, 0.9, the class as it is: 2.1e-2 relative off the
engine) and diag_stream_strengths_lerped (the same with the regions' pooled embeddings lerped
from the background's while update_layers encodes them: 5.4e-6, so that is the whole difference).

Writes tests/data/paper/paper_sdxl_stream.json and paper_sdxl_stream.safetensors.
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
# paper_harness first: it sets the offline switches before diffusers is imported.
from paper_harness import (DrawLog, Store, deterministic_cpu, golden_header, parse_arguments,  # noqa: E402
                           require_model, write_goldens)
import torch  # noqa: E402
from diffusers import EulerDiscreteScheduler  # noqa: E402
from paper_sdxl_golden import DEFAULT_MODEL, import_paper, patch_paper  # noqa: E402
from paper_stream_harness import (SIZE, STREAM_NOISE_ORDER, StreamCapture, patch_codec_and_captioner,  # noqa: E402
                                  play_case)

PATCHES = [
    "load_model -> StableDiffusionXLPipeline from the tiny SDXL folder, fp32, CPU (hf_key given); "
    "hf_hub_download -> placeholder; load_lora_weights / set_adapters / fuse_lora -> no-ops",
    "AutoencoderTiny.from_pretrained('madebyollin/taesdxl') -> the folder's taesd/, fp32",
    "Blip2Processor / Blip2ForConditionalGeneration.from_pretrained -> None (never called: the "
    "background is given with its prompt)",
    "constructor: device=cpu, dtype=float32, use_xformers=False, cfg_type='none' (the only mode that runs)",
    "decode_latents casts its input to float32 (__call__ passes latent.half()); compared latents are "
    "recorded before it",
    "capture only: unet_step result (all T step latents of a call), __call__ visible/flush",
]


def case(name, seed, bootstrap_steps, mix_steps, mask_type, script, keep_image=False,
         prompt_strengths=(1.0, 1.0, 1.0), mask_strengths=(1.0, 0.8, 0.9), mask_stds=(1.0, 2.5, 4.0),
         lerp_pooled=False):
    return dict(name=name, seed=seed, cfg_type="none", guidance=1.0, delta=1.0, keep_image=keep_image,
                lerp_pooled=lerp_pooled,
                bootstrap_steps=bootstrap_steps, mix_steps=mix_steps, mask_type=mask_type, script=script,
                prompt_strengths=list(prompt_strengths), mask_strengths=list(mask_strengths),
                mask_stds=list(mask_stds), t_index_list=[0, 4, 12, 25, 37])


CASES = [
    # One bootstrap step; a prompt edit through update()/commit(), then a moved mask through
    # update_masks (all masks re-processed together, as the engine does).
    case("paper_sdxl_stream_none", 601, 1, 1.0, "continuous",
         [("frames", 7), ("update", {"idx": 1, "prompt": "a blue heron"}), ("frames", 3),
          ("update_masks", True), ("frames", 6)], keep_image=True),
    # Two bootstrap steps with a fractional white/photo mix, semi-continuous masks; edit:
    # new prompt and moved mask together through update_layers.
    case("paper_sdxl_stream_bootstrap2", 602, 2, 1.5, "semi-continuous",
         [("frames", 6), ("update_layers", "a blue heron", True), ("frames", 4)]),
]

# --diagnose: cases that measure a known difference (not committed).
DIAG_CASES = [
    case("diag_stream_strengths", 603, 1, 1.0, "continuous", [("frames", 8)], prompt_strengths=(1.0, 0.8, 0.9)),
    case("diag_stream_strengths_lerped", 603, 1, 1.0, "continuous", [("frames", 8)],
         prompt_strengths=(1.0, 0.8, 0.9), lerp_pooled=True),
]


class lerped_pooled:
    """DIAGNOSTIC only: while update_layers encodes the regions' prompts, their pooled
    embeddings are lerped from the background's by prompt strength (what the one-shot class
    and the engine do) instead of handed over as they are."""

    def __init__(self, pipe, strengths, active):
        self.pipe, self.strengths, self.active = pipe, strengths, active

    def __enter__(self):
        if not self.active:
            return
        sdxl = self.pipe.pipe
        real = self.real = sdxl.encode_prompt
        background_pooled = self.pipe.background.embed[2]
        s = torch.as_tensor(self.strengths, dtype=torch.float32)[:, None]

        def encode_prompt(*args, **kwargs):
            out = list(real(*args, **kwargs))
            out[2] = torch.lerp(background_pooled, out[2], s)
            return tuple(out)

        sdxl.encode_prompt = encode_prompt

    def __exit__(self, *exc):
        if self.active:
            del self.pipe.pipe.encode_prompt


def patch_stream(paper_sdxl, folder):
    import streammultidiffusion_sdxl as stream_module

    patch_paper(paper_sdxl, folder)
    stream_module.load_model = paper_sdxl.load_model
    stream_module.hf_hub_download = paper_sdxl.hf_hub_download
    patch_codec_and_captioner(stream_module, folder, "madebyollin/taesdxl")
    return stream_module


def run_case(stream_module, capture, log, store, c):
    pipe = stream_module.StreamMultiDiffusionSDXL(
        torch.device("cpu"), dtype=torch.float32, hf_key="tiny-sdxl", use_xformers=False,
        t_index_list=c["t_index_list"], width=SIZE, height=SIZE, guidance_scale=c["guidance"], delta=c["delta"],
        cfg_type=c["cfg_type"], seed=c["seed"], bootstrap_steps=c["bootstrap_steps"],
        bootstrap_mix_steps=c["mix_steps"], preprocess_mask_cover_alpha=0.3, mask_type=c["mask_type"])
    assert isinstance(pipe.scheduler, EulerDiscreteScheduler) and pipe.scheduler.config.timestep_spacing == "trailing"
    sigmas = [float(s) for s in pipe.sigmas]
    assert float(pipe.scheduler.init_noise_sigma) == sigmas[0], "fresh noise is scaled by sigma_max = sigma_0"
    entry = play_case(pipe, capture, log, store, c,
                      first_layers_context=lerped_pooled(pipe, c["prompt_strengths"], c["lerp_pooled"]))
    for s in entry["scenes"]:
        s["settings"]["sampler"] = "euler-trailing"
    entry["sigmas"] = sigmas
    entry["paper_constructor"]["hf_key"] = "tiny-sdxl (patched load_model)"
    return entry


def main():
    args = parse_arguments(DEFAULT_MODEL, diagnose=True)
    require_model(args.model, "tiny-sdxl", 3, need_taesd=True)
    deterministic_cpu()

    _, paper_sdxl = import_paper(args.paper)
    stream_module = patch_stream(paper_sdxl, args.model)
    capture = StreamCapture(stream_module.StreamMultiDiffusionSDXL)
    log = DrawLog()
    store = Store()
    golden = golden_header("paper_sdxl_stream_golden.py", "StreamMultiDiffusionSDXL", "streammultidiffusion_sdxl",
                           args.model, PATCHES, STREAM_NOISE_ORDER)
    for c in CASES + (DIAG_CASES if args.diagnose else []):
        golden["cases"][c["name"]] = run_case(stream_module, capture, log, store, c)
    write_goldens(store, golden, "paper_sdxl_stream")


if __name__ == "__main__":
    main()

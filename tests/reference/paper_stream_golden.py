"""Parity goldens from the SemanticDraw paper's OWN stream class (StreamMultiDiffusion,
src/model/streammultidiffusion.py), run on our tiny seeded model with every random draw
it makes recorded, so tests/parity/paper_stream_parity_test.cpp can replay them through
the engine's StreamBatch (docs/ALGORITHM.md §8).

    .venv-ref/bin/python tests/reference/paper_stream_golden.py --paper /tmp/sd [--model /tmp/tiny]

Companion of paper_golden.py (the one-shot class): same checkout (--paper), same model
(--model); the draw log, tensor store and stream scripting come from paper_harness.py and
paper_stream_harness.py. Nothing of the paper's
code is copied here; the class is constructed and driven through its public methods.

RUN-TIME patches (also listed in paper_stream.json under "patches"):
  * load_model: paper_golden's patch (a StableDiffusionPipeline assembled from the tiny
    folder, fp32, CPU; load_lora_weights a no-op), and pipe.fuse_lora a no-op (no LCM-LoRA
    is loaded; the tiny UNet stands for the LCM-distilled one).
  * AutoencoderTiny.from_pretrained('madebyollin/taesd') loads the folder's taesd/ in fp32
    (the stream's codec; the engine's stream uses the same TAESD).
  * Blip2Processor / Blip2ForConditionalGeneration.from_pretrained return None (the class
    loads BLIP-2 unconditionally; every background is given with its prompt, so the
    captioner is never called).
  * constructor arguments: device cpu, dtype float32, use_xformers=False, the case's
    t_index_list, cfg_type, guidance_scale, delta, bootstrap settings, mask_type, 64x64.
  * decode_latents casts its input to the class dtype: __call__ decodes latent.half(),
    which the fp32 TAESD cannot take. The compared latents are recorded before that cast
    (the output of unet_step), so the half rounding never reaches them.
  * capture only: unet_step is wrapped to record its result (the T aggregated step
    latents of the call; the last one is the frame), __call__ to note which calls were
    visible (decoded) and which were the class's automatic flush. None changes a value.
The photo is handed over as a PIL image built from its exact 8-bit values (the class
resizes it to the canvas: at canvas size PIL returns a copy) and the masks as a
[3,1,64,64] tensor (the class blurs a tensor at its own size: the 32x32 painted masks are
resized to the canvas bilinearly first, as the engine resizes them, and the scene holds
the 64x64 masks so the engine's resize is the identity).

Random draws: the class draws its per-step noises `init_noise` [T,4,h,w] once, from its
own generator at construction (reset_seed), and one torch.randn [1,4,h,w] per __call__,
hidden flush calls included. The engine draws N [T,C,h,w] at a reset, then one fresh
[1,C,h,w] per step(): init_noise -> N, the k-th __call__'s draw -> the k-th step()'s
fresh noise. The class flushes automatically (T calls without decoding) before its first
visible frame and after every committed update; the test runs the same number of step()s,
so every call, hidden or not, is compared.

Edits: the paper's per-layer path (update() + commit() -> update_single_layer) re-processes
an edited MASK alone, which the engine deliberately does not (docs/ALGORITHM.md §10), so
masks are only ever changed through the all-masks paths (update_masks, update_layers);
update() + commit() is used for prompt-only edits, where both compute the same thing.

Writes tests/data/paper/paper_stream.json and paper_stream.safetensors. Deterministic:
CPU fp32, fixed seeds, one thread.
"""
# paper_harness first: it sets the offline switches before diffusers is imported.
from paper_harness import (DrawLog, Store, deterministic_cpu, golden_header, parse_arguments, require_model,
                           write_goldens)
import torch  # noqa: E402
from paper_golden import import_paper, patch_paper  # noqa: E402
from paper_stream_harness import (SIZE, STREAM_NOISE_ORDER, StreamCapture, patch_codec_and_captioner,  # noqa: E402
                                  play_case)
from pipeline_golden import CPP_MODEL  # noqa: E402

PATCHES = [
    "load_model -> StableDiffusionPipeline from the tiny folder, fp32, CPU; load_lora_weights and "
    "fuse_lora -> no-ops (no LCM-LoRA download)",
    "AutoencoderTiny.from_pretrained('madebyollin/taesd') -> the folder's taesd/, fp32",
    "Blip2Processor / Blip2ForConditionalGeneration.from_pretrained -> None (never called: every "
    "background is given with its prompt)",
    "constructor: device=cpu, dtype=float32, use_xformers=False",
    "decode_latents casts its input to float32 (__call__ passes latent.half()); compared latents are "
    "recorded before it",
    "capture only: unet_step result (all T step latents of a call), __call__ visible/flush",
]


# A case: class settings, then a script of actions (paper_stream_harness.play_case).
def case(name, seed, cfg_type, guidance, delta, bootstrap_steps, mix_steps, mask_type, script,
         keep_image=False, prompt_strengths=(1.0, 0.8, 0.9), mask_strengths=(1.0, 0.8, 0.9),
         mask_stds=(1.0, 2.5, 4.0)):
    return dict(name=name, seed=seed, cfg_type=cfg_type, guidance=guidance, delta=delta, keep_image=keep_image,
                bootstrap_steps=bootstrap_steps, mix_steps=mix_steps, mask_type=mask_type, script=script,
                prompt_strengths=list(prompt_strengths), mask_strengths=list(mask_strengths),
                mask_stds=list(mask_stds), t_index_list=[0, 4, 12, 25, 37])


CASES = [
    # No guidance: a prompt edit through update()/commit(), then a moved mask through
    # update_masks (all masks re-processed together, as the engine does).
    case("paper_stream_none", 501, "none", 1.2, 1.0, 1, 1.0, "continuous",
         [("frames", 7), ("update", {"idx": 1, "prompt": "a blue heron"}), ("frames", 3),
          ("update_masks", True), ("frames", 6)], keep_image=True),
    # Residual (self) guidance, two bootstrap steps with a fractional white/photo mix;
    # edit: new prompt and moved mask together through update_layers.
    case("paper_stream_self", 502, "self", 1.2, 1.0, 2, 1.5, "continuous",
         [("frames", 6), ("update_layers", "a blue heron", True), ("frames", 4)]),
    # Full guidance (an unconditional copy of every entry); a prompt edit via update().
    case("paper_stream_full", 503, "full", 1.3, 1.0, 1, 1.0, "continuous",
         [("frames", 6), ("update", {"idx": 2, "prompt": "a stone tower"}), ("frames", 3)]),
    # Initialize guidance (an unconditional copy of step 0 only), delta 0.9; a moved mask.
    # No prompt edit here: update_single_layer splits the embeddings into two equal halves,
    # but this mode's layout is p unconditional + T*p conditional rows, so the edited
    # region's conditional rows of steps 0 and 1 (T=5, p=3) would get its unconditional
    # embedding, a paper bug the engine does not reproduce.
    case("paper_stream_initialize", 504, "initialize", 1.2, 0.9, 1, 1.0, "continuous",
         [("frames", 6), ("update_masks", True), ("frames", 5)]),
]


# --- the paper's class ----------------------------------------------------------------

def patch_stream(paper_one_shot, folder):
    """Patches the stream module (run-time only) and returns it."""
    import streammultidiffusion as stream_module

    patch_paper(paper_one_shot, folder)          # load_model (+ load_lora_weights no-op), tqdm, posterior mean
    one_shot_load = paper_one_shot.load_model

    def load_model(*args, **kwargs):
        pipe = one_shot_load(*args, **kwargs)
        pipe.fuse_lora = lambda *a, **k: None
        return pipe

    stream_module.load_model = load_model
    patch_codec_and_captioner(stream_module, folder, "madebyollin/taesd")
    return stream_module


def run_case(stream_module, capture, log, store, c):
    pipe = stream_module.StreamMultiDiffusion(
        torch.device("cpu"), dtype=torch.float32, use_xformers=False, t_index_list=c["t_index_list"],
        width=SIZE, height=SIZE, guidance_scale=c["guidance"], delta=c["delta"], cfg_type=c["cfg_type"],
        seed=c["seed"], bootstrap_steps=c["bootstrap_steps"], bootstrap_mix_steps=c["mix_steps"],
        preprocess_mask_cover_alpha=0.3, mask_type=c["mask_type"])
    return play_case(pipe, capture, log, store, c)


def main():
    args = parse_arguments(CPP_MODEL)
    require_model(args.model, "tiny", 7, need_taesd=True)
    deterministic_cpu()

    _, paper_one_shot = import_paper(args.paper)
    stream_module = patch_stream(paper_one_shot, args.model)
    capture = StreamCapture(stream_module.StreamMultiDiffusion)
    log = DrawLog()
    store = Store()
    golden = golden_header("paper_stream_golden.py", "StreamMultiDiffusion", "streammultidiffusion", args.model,
                           PATCHES, STREAM_NOISE_ORDER)
    for c in CASES:
        golden["cases"][c["name"]] = run_case(stream_module, capture, log, store, c)
    write_goldens(store, golden, "paper_stream")


if __name__ == "__main__":
    main()

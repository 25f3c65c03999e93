"""Reference of docs/ALGORITHM.md §7, the one-shot region render ("Generate"),
written from that text on top of diffusers components.

    out = one_shot_reference(models, scene, noise, steps=None, tile_size=512,
                             rng_noises={"renoise": [...], "bootstrap": [...]})
    out["latent"], out["image"]

`models`: dict with unet, text_encoder, tokenizer, vae (AutoencoderKL: the
full VAE encodes the background image and decodes the result), scheduler
(LCMScheduler). `noise` [1,4,h,w] is the initial noise; rng_noises["renoise"]
holds one [1,4,h,w] per step transition (len = steps - 1) and
rng_noises["bootstrap"] one [1,4,h,w] per bootstrap step. Drawn from one
generator (§9) the order is: initial, then per step k bootstrap[k] (while
bootstrapping) and renoise[k] (all steps but the last).

Choices where the text leaves room (also in the report):
  O1 Steps: steps=None -> the scene's step_indices into the 50-step schedule;
     steps=N -> LCMScheduler.set_timesteps(N).timesteps.
  O2 Guidance: classifier-free guidance (an unconditional batch of the same
     regions with their negative conditioning, appended after the conditional
     batch) only when g > 1, as diffusers' pipelines do; otherwise eps = eps_c
     (the public reference always runs both batches; at g = 1 that differs
     only by rounding).
  O3 Background. With an image: z_bg = VAE-encode(image resized bilinear),
     the initial latent is add_noise(z_bg, noise, t_0) when t_0 < 999 and the
     noise itself at t_0 = 999 (as the paper's code does), and bg_k is filled with
     the clean z_bg in the aggregation (aggregation works on denoised latents;
     the re-noising follows). Without an image and with a background prompt
     (any string, "" included), the background is an extra region at the
     bottom (index 0): conditioning (e_bg, u_bg), mask bg_k of the processed
     region masks, treated like any other region (bootstrap composite,
     centring). Without an image and with prompt None, the background is the
     white image (z_bg = z_white) with the prompt "simple white background",
     handled exactly like a given image (bg fill, noised start, final blend).
     The regions' conditioning is lerp(e_bg, e_i, s_i) in every case (§3).
  O4 Bootstrapping for k < bootstrap_steps: b_k per §4 (z_white from the
     full VAE), noised as add_noise(b_k, rng_noises["bootstrap"][k], t_k), one
     canvas-size noise per step, cropped per view, shared by the regions;
     composite x_i = (1 - m) b~ + m x with m = m_{i,k}. Centring uses
     m_{i,k} > 0 within the view (§5) and only in those steps.
  O5 Leak suppression (on by default, as the paper's code always runs it):
     after the UNet and the LCM step of a bootstrap step, the region's
     aggregation mask becomes m * (2 sigmoid(mean_c((d_i - b~)^2) /
     sensitivity) - 1), d_i the region's (un-rolled) denoised latent and b~
     the noised bootstrap latent. The composite uses the unscaled mask.
  O6 Tiles (latent units, tile = tile_size / 8): a single view of weight one
     when h <= tile and w <= tile. Otherwise per axis: a side <= tile is one
     span; else starts 0, s, 2s, ... (s = tile / 2), count = ceil((side -
     tile) / s) + 1, the last tile cut short by the canvas edge. Weights: per
     axis a triangle (linspace(0, 1, ceil(tile / 2)) up, then mirrored down;
     odd tiles share the peak), the first tile flat 1 on its leading half and
     the last flat on its trailing half; 2-D weight = product. This is the
     public reference's shape (its get_panorama_views); it sums to one at every
     pixel (checked, no renormalisation). Aggregation (§6) runs once over the
     canvas with each view's masks multiplied by its tile weight:
     value = sum_v sum_i w_v m_i d_{v,i}, count = sum_v sum_i w_v m_i,
     latent = value / count where count > 0, bg = clip(1 - count, 0, 1)
     (without leak suppression this equals per-view aggregation blended
     with the tile weights, because the weights sum to one).
  O7 Decoding with a background image (also the white one of O3): union
     u = clip(sum_i blurred_i, 0, 1) with blurred_i the region masks after
     §2 steps 1-3 (resize, cover, blur; BEFORE strength, as the paper's
     code blends) at canvas size;
     image = u * decoded + (1 - u) * background image.
  O8 Defaults where docs/ALGORITHM.md is silent (the goldens store every setting):
     mask_mode "continuous", bootstrap_steps 1, bootstrap_mix_steps 1,
     guidance 1.0, leak suppression on (sensitivity 0.2); region blur_sigma
     defaults to 1 (the paper's one-shot default; the app's is 8).
"""
import torch

from semdraw_pipeline_parts import (DEFAULT_BACKGROUND_PROMPT, DEFAULT_STEP_INDICES, Codec, PromptCache,
                                    Schedule, bootstrap_latents, canvas_image, centring_shift,
                                    lcm_denoise, region_conditioning, roll, scene_masks)

ONE_SHOT_DEFAULTS = {
    "step_indices": DEFAULT_STEP_INDICES,
    "mask_mode": "continuous",
    "bootstrap_steps": 1,
    "bootstrap_mix_steps": 1,
    "cover_alpha": 0.3,
    "guidance": 1.0,
    "leak_suppression": True,
    "leak_sensitivity": 0.2,
}


# --- tiles ------------------------------------------------------------------------

def axis_starts(side, tile):
    """Starts every half tile; the last tile may be cut short by the canvas edge."""
    if side <= tile:
        return [0]
    stride = tile // 2
    count = (side - tile + stride - 1) // stride + 1
    return [i * stride for i in range(count)]


def axis_ramp(tile, index, count):
    """A triangle over the tile (linspace 0..1 over the first half, back down
    over the second; odd tiles share the peak); the first tile is flat (1) on
    its leading half and the last one on its trailing half."""
    if count == 1:
        return torch.ones(tile)
    up = torch.linspace(0, 1, (tile + 1) // 2)
    down = up.flip(0)[1:] if tile % 2 == 1 else up.flip(0)
    ramp = torch.cat([up, down])
    if index == 0:
        ramp[:tile // 2] = 1
    if index == count - 1:
        ramp[tile - tile // 2:] = 1
    return ramp


def get_views(h, w, tile):
    """Views (y0, y1, x0, x1) in latent pixels and canvas-size weights [h,w]."""
    rows, cols = axis_starts(h, tile), axis_starts(w, tile)
    views, weights = [], []
    for r, y0 in enumerate(rows):
        for c, x0 in enumerate(cols):
            y1, x1 = min(y0 + tile, h), min(x0 + tile, w)
            wy = axis_ramp(h if len(rows) == 1 else tile, r, len(rows))[:y1 - y0]
            wx = axis_ramp(w if len(cols) == 1 else tile, c, len(cols))[:x1 - x0]
            weight = torch.zeros(h, w)
            weight[y0:y1, x0:x1] = wy[:, None] * wx[None, :]
            views.append((y0, y1, x0, x1))
            weights.append(weight)
    total = torch.stack(weights).sum(0)
    if (total - 1).abs().max() > 1e-5:
        raise AssertionError(f"tile weights for {h}x{w} / tile {tile} do not sum to one")
    return views, weights


# --- one-shot ---------------------------------------------------------------------

@torch.no_grad()
def one_shot_reference(models, scene, noise, steps=None, tile_size=512, rng_noises=None):
    settings = dict(ONE_SHOT_DEFAULTS, **scene.get("settings", {}))
    rng_noises = rng_noises or {}
    scheduler, unet = models["scheduler"], models["unet"]
    codec = Codec(models["vae"])
    prompts = models.get("prompts") or PromptCache(models["text_encoder"], models["tokenizer"])
    height, width = int(scene["height"]), int(scene["width"])
    h, w = height // 8, width // 8

    schedule = (Schedule.from_indices(scheduler, settings["step_indices"]) if steps is None
                else Schedule.from_count(scheduler, int(steps)))
    t = schedule.timesteps
    n_steps = len(schedule)
    renoise = list(rng_noises.get("renoise", []))
    boot = int(settings["bootstrap_steps"])
    boot_noise = list(rng_noises.get("bootstrap", []))
    if len(renoise) < n_steps - 1:
        raise ValueError(f"rng_noises['renoise'] needs {n_steps - 1} tensors, got {len(renoise)}")
    if len(boot_noise) < min(boot, n_steps):
        raise ValueError(f"rng_noises['bootstrap'] needs {min(boot, n_steps)} tensors, got {len(boot_noise)}")

    background = dict(scene.get("background") or {})
    regions = [r for r in scene["regions"] if r.get("enabled", True)]
    if not regions:
        raise ValueError("scene has no enabled region")
    image = background.get("image")
    white_background = image is None and background.get("prompt") is None
    if white_background:
        background["prompt"] = DEFAULT_BACKGROUND_PROMPT
    cond, uncond = region_conditioning(prompts, background, regions)
    stages = scene_masks(regions, settings, schedule.noise_levels(), height, width, 1.0)
    masks = stages["masks"]  # [p,T,h,w]

    z_white = codec.encode(torch.ones(1, 3, height, width))
    if white_background:
        bg_image = torch.ones(1, 3, height, width)
        z_bg = z_white
    elif image is not None:
        bg_image = canvas_image(image, height, width)
        z_bg = codec.encode(bg_image)
    else:
        # O3: the background is a region of its own, at the bottom.
        bg_image, z_bg = None, z_white
        e_bg = prompts(background["prompt"])
        u_bg = prompts(background.get("negative_prompt") or "")
        cond, uncond = torch.cat([e_bg, cond]), torch.cat([u_bg, uncond])
        masks = torch.cat([stages["background"][None], masks])
    bootstrap = bootstrap_latents(z_white, z_bg, settings["bootstrap_mix_steps"], n_steps)

    g = float(settings["guidance"])
    views, weights = get_views(h, w, max(tile_size // 8, 1))
    p = masks.shape[0]
    start_from_picture = bg_image is not None and int(t[0]) < 999
    x = schedule.add_noise(z_bg, noise.float(), t[0]) if start_from_picture else noise.float()
    history = []
    for k in range(n_steps):
        value = torch.zeros(1, 4, h, w)
        count = torch.zeros(1, 1, h, w)
        for (y0, y1, x0, x1), weight in zip(views, weights):
            xv = x[..., y0:y1, x0:x1]
            mv = masks[:, k, y0:y1, x0:x1][:, None]  # [p,1,hv,wv]
            latents = [xv.clone() for _ in range(p)]
            shifts = [(0, 0)] * p
            if k < boot:
                noised = schedule.add_noise(bootstrap[k][..., y0:y1, x0:x1],
                                            boot_noise[k][..., y0:y1, x0:x1].float(), t[k])
                latents = [(1 - mv[i:i + 1]) * noised + mv[i:i + 1] * latents[i] for i in range(p)]
                shifts = [centring_shift(mv[i, 0]) for i in range(p)]
            batch = torch.cat([roll(latents[i], shifts[i], -1) for i in range(p)])
            steps_t = t[k].repeat(p)
            if g > 1:
                out = unet(torch.cat([batch, batch]), torch.cat([steps_t, steps_t]),
                           encoder_hidden_states=torch.cat([cond, uncond])).sample
                eps_c, eps_u = out[:p], out[p:]
            else:
                eps_c = unet(batch, steps_t, encoder_hidden_states=cond).sample
            eps_c = torch.cat([roll(eps_c[i:i + 1], shifts[i], +1) for i in range(p)])
            if g > 1:
                eps_u = torch.cat([roll(eps_u[i:i + 1], shifts[i], +1) for i in range(p)])
                eps = eps_u + g * (eps_c - eps_u)
            else:
                eps = eps_c
            denoised = torch.cat([lcm_denoise(schedule, latents[i], eps[i:i + 1], t[k]) for i in range(p)])
            agg_masks = mv
            if k < boot and settings["leak_suppression"]:
                leak = ((denoised - noised) ** 2).mean(dim=1, keepdim=True)
                agg_masks = mv * (2 * torch.sigmoid(leak / float(settings["leak_sensitivity"])) - 1)
            tile_weight = weight[y0:y1, x0:x1][None, None]
            agg_masks = agg_masks * tile_weight if len(views) > 1 else agg_masks
            value[..., y0:y1, x0:x1] += (agg_masks * denoised).sum(0, keepdim=True)
            count[..., y0:y1, x0:x1] += agg_masks.sum(0, keepdim=True)
        latent = torch.where(count > 0, value / torch.where(count > 0, count, torch.ones_like(count)), value)
        if bg_image is not None:
            # Only a background picture (or the white one) fills what the
            # regions leave uncovered; a background that is a region of its
            # own is already in the average (the paper's code does the same).
            bg = (1 - count).clamp(0, 1)
            latent = (1 - bg) * latent + bg * z_bg
        history.append(latent)
        x = schedule.renoise(latent, renoise[k].float(), t[k + 1]) if k + 1 < n_steps else latent

    decoded = codec.decode(x)
    image_out = decoded
    if bg_image is not None:
        union = stages["blurred"].sum(0).clamp(0, 1)[None, None]
        image_out = union * decoded + (1 - union) * bg_image
    return {"latent": x, "decoded": decoded, "image": image_out, "timesteps": t,
            "masks": masks, "steps": torch.cat(history)}

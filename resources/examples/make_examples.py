"""Writes the two example scenes shipped in resources/examples/ (masks,
background picture, scene JSON). Re-run to regenerate:
    .venv-ref/bin/python resources/examples/make_examples.py
"""
import json
import math
import pathlib

from PIL import Image, ImageDraw, ImageFilter

HERE = pathlib.Path(__file__).resolve().parent
W, H = 512, 512


def mask(draw_fn):
    image = Image.new("L", (W, H), 0)
    draw_fn(ImageDraw.Draw(image))
    return image


def three_regions():
    out = HERE / "three-regions"
    out.mkdir(exist_ok=True)
    masks = {
        "sky.png": mask(lambda d: d.rectangle([0, 0, W, 230], fill=255)),
        "mountains.png": mask(lambda d: d.polygon([(0, 330), (120, 170), (230, 290), (350, 140), (512, 320),
                                                     (512, 380), (0, 380)], fill=255)),
        "eagle.png": mask(lambda d: d.ellipse([170, 60, 360, 200], fill=255)),
    }
    for name, image in masks.items():
        image.save(out / name)
    scene = {
        "version": 1, "width": W, "height": H,
        "background": {"prompt": "a quiet valley, morning light", "negative_prompt": ""},
        "regions": [
            {"prompt": "a blue sky with soft clouds", "mask": "sky.png", "blur_sigma": 8},
            {"prompt": "snowy mountains", "mask": "mountains.png", "blur_sigma": 8},
            {"prompt": "a red eagle, wings spread", "mask": "eagle.png", "blur_sigma": 8},
        ],
        "settings": {"seed": 2024, "mask_mode": "continuous", "bootstrap_steps": 1},
    }
    (out / "scene.json").write_text(json.dumps(scene, indent=2) + "\n")


def over_photo():
    out = HERE / "over-photo"
    out.mkdir(exist_ok=True)
    # A made-up landscape "photo": graded sky, sun, two hill layers, a lake,
    # then a little blur and grain so it reads like a picture, not a diagram.
    photo = Image.new("RGB", (W, H))
    draw = ImageDraw.Draw(photo)
    for y in range(H):
        t = y / H
        draw.line([(0, y), (W, y)], fill=(int(120 + 100 * t), int(170 + 60 * t), int(235 - 40 * t)))
    draw.ellipse([360, 60, 430, 130], fill=(255, 236, 180))
    draw.polygon([(0, 300)] + [(x, 260 - 40 * math.sin(x / 70)) for x in range(0, W + 1, 16)] + [(W, 360), (0, 360)],
                 fill=(70, 110, 80))
    draw.polygon([(0, 360)] + [(x, 330 - 25 * math.cos(x / 45)) for x in range(0, W + 1, 16)] + [(W, 400), (0, 400)],
                 fill=(50, 90, 55))
    draw.rectangle([0, 400, W, H], fill=(60, 110, 150))
    photo = photo.filter(ImageFilter.GaussianBlur(1.5))
    photo.save(out / "background.png")
    masks = {"boat.png": mask(lambda d: d.polygon([(200, 430), (330, 430), (300, 470), (230, 470)], fill=255)),
             "balloon.png": mask(lambda d: d.ellipse([90, 70, 180, 180], fill=255))}
    for name, image in masks.items():
        image.save(out / name)
    scene = {
        "version": 1, "width": W, "height": H,
        "background": {"image": "background.png", "prompt": "a lake between green hills, photo"},
        "regions": [
            {"prompt": "a small red sailing boat", "mask": "boat.png", "blur_sigma": 4},
            {"prompt": "a hot air balloon", "mask": "balloon.png", "blur_sigma": 4},
        ],
        "settings": {"seed": 7, "mask_mode": "continuous", "bootstrap_steps": 1},
    }
    (out / "scene.json").write_text(json.dumps(scene, indent=2) + "\n")


if __name__ == "__main__":
    three_regions()
    over_photo()

# Builds Sightline's demonstration assets (run by hand, never in CI or by the app):
#   /usr/bin/python3 tools/build_demo.py [--out resources/demo] [--only cnn,shortcut,vit,cbm,samples,testset]
# Generates the seeded phantom data set (tools/phantoms.py), trains the four demo models on the CPU,
# exports each with torch.onnx.export (opset 17, dynamic batch) beside its model card, and writes the
# sample cases and the 200-image test set. Everything is labelled "demonstration — not for clinical use".
import argparse
import json
import os
import time

import numpy as np
import torch
from PIL import Image
from torch import nn

import phantoms
from demo_models import ConceptBottleneck, DemoCNN, DemoViT, fold_batch_norms, parameter_count

DISCLAIMER = "Demonstration — not for clinical use. Trained on synthetic phantoms, not on patient images."
SEEDS = {"train": 1_000_000, "val": 2_000_000, "test": 3_000_000, "samples": 4_000_000}
SIZES = {"train": 3600, "val": 600, "test": 200}
# The shortcut: in its training data the corner marker is on 95 % of malignant images and 5 % of
# the others; the clean models see the marker on 30 % of images regardless of the label.
SHORTCUT_MARKER = {"malignant": 0.95, "other": 0.05}
CLEAN_MARKER = 0.3
# The ViT: 12×12 patches (an 8×8 grid, 65 tokens) keep an epoch under a minute of CPU; it learns
# more slowly than the CNNs, hence more epochs, within the ~25-minute CPU budget of all four models.
VIT_PATCH = 12
VIT_EPOCHS = 8
TEST_MARKER = 0.5
CACHE = os.environ.get("SIGHTLINE_DEMO_CACHE", "/tmp/sightline-demo-cache")


def generate(split):
    """Images without marker, masks, labels, concepts of one split (cached: generation takes a while)."""
    path = os.path.join(CACHE, f"{split}.npz")
    if os.path.exists(path):
        data = np.load(path)
        return {k: data[k] for k in data.files}
    n = SIZES[split]
    images, masks, labels, concepts = [], [], [], []
    for i in range(n):
        p = phantoms.phantom(SEEDS[split] + i, lesion_type=i % 3)
        images.append(phantoms.to_uint8(p["image"]))
        masks.append(p["mask"])
        labels.append(p["label"])
        concepts.append(p["concepts"])
    data = {"images": np.stack(images), "masks": np.stack(masks), "labels": np.array(labels), "concepts": np.array(concepts)}
    os.makedirs(CACHE, exist_ok=True)
    np.savez_compressed(path, **data)
    return data


def with_markers(images, present):
    out = images.copy()
    for i in np.flatnonzero(present):
        plate = out[i].astype(np.float64) / 255
        phantoms.draw_marker(plate)
        out[i] = phantoms.to_uint8(plate)
    return out


def marker_draws(labels, seed, probability_of):
    rng = np.random.default_rng(seed)
    return rng.random(len(labels)) < np.array([probability_of(int(l)) for l in labels])


def normalise(images_u8, mean, std):
    # the engine's exact preprocessing: float32(u8) / 255, then (x − mean) / std in float32
    x = images_u8.astype(np.float32) / np.float32(255)
    return ((x - np.float32(mean)) / np.float32(std))[:, None, :, :]


def train(model, inputs, targets, loss_fn, epochs, lr, batch=64, seed=0, log=""):
    torch.manual_seed(seed)
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    steps = epochs * ((len(inputs) + batch - 1) // batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=lr, total_steps=steps, pct_start=0.15)
    x_all = torch.from_numpy(inputs)
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(inputs))
        total, started = 0.0, time.time()
        for start in range(0, len(inputs), batch):
            idx = order[start:start + batch]
            loss = loss_fn(model(x_all[idx]), [t[idx] for t in targets])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item() * len(idx)
        print(f"  {log} epoch {epoch + 1}/{epochs}: loss {total / len(inputs):.4f} ({time.time() - started:.0f} s)", flush=True)
    model.eval()
    return model


def logits_of(model, inputs):
    with torch.no_grad():
        out = model(torch.from_numpy(inputs))
    return (out[0] if isinstance(out, tuple) else out).numpy()


def accuracy(model, inputs, labels):
    return float((logits_of(model, inputs).argmax(1) == labels).mean())


def export(model, path, outputs, example, input_name="input"):
    before = logits_of(model, example.numpy())
    for holder in (model, getattr(model, "concept_net", None)):
        if isinstance(holder, DemoCNN):
            holder.features = fold_batch_norms(holder.features)
    assert np.allclose(logits_of(model, example.numpy()), before, atol=1e-4), "folding the batch norms changed the model"
    dynamic = {input_name: {0: "batch"}, **{name: {0: "batch"} for name in outputs}}
    torch.onnx.export(model, example, path, opset_version=17, input_names=[input_name], output_names=outputs,
                      dynamic_axes=dynamic, do_constant_folding=True)
    size = os.path.getsize(path)
    print(f"  wrote {path} ({size / 1024:.0f} KiB)")
    assert size < 10 * 1024 * 1024, f"{path} is over 10 MB"


def card(name, description, mean, std, training, **extra):
    return {
        "name": name,
        "version": "demo-1",
        "demo": True,
        "disclaimer": DISCLAIMER,
        "description": description,
        "labels": phantoms.LABELS,
        "input": {"name": "input", "shape": [1, 1, phantoms.SIZE, phantoms.SIZE], "layout": "NCHW", "scale": 1 / 255,
                  "mean": [mean], "std": [std], "colorToGray": "luminance", "resize": "stretch"},
        "output": {"name": "logits", "activation": "softmax"},
        "training": training,
        **extra,
    }


def write_json(path, value, rows=None):
    """Indented JSON; the list under the key `rows` one item per line (keeps long outlines compact)."""
    if rows is None:
        text = json.dumps(value, indent=2, ensure_ascii=False)
    else:
        placeholder = "__rows__"
        items = ",\n".join("    " + json.dumps(item, ensure_ascii=False) for item in value[rows])
        text = json.dumps({**value, rows: placeholder}, indent=2, ensure_ascii=False).replace(f'"{placeholder}"', "[\n" + items + "\n  ]")
    with open(path, "w") as f:
        f.write(text + "\n")


def cross_entropy(outputs, targets):
    return nn.functional.cross_entropy(outputs, targets[0])


def concept_bottleneck_loss(outputs, targets):
    # joint training: concept supervision, plus the label through the concepts (Koh et al. λ = 0.5)
    logits, concepts = outputs
    return nn.functional.binary_cross_entropy(concepts, targets[1]) + 0.5 * nn.functional.cross_entropy(logits, targets[0])


def save_png(path, array):
    Image.fromarray(array).save(path, optimize=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "resources", "demo"))
    parser.add_argument("--only", default="cnn,shortcut,vit,cbm,samples,testset")
    args = parser.parse_args()
    only = set(args.only.split(","))
    torch.set_num_threads(2)
    models_dir = os.path.join(args.out, "models")
    os.makedirs(models_dir, exist_ok=True)

    train_set, val_set = generate("train"), generate("val")
    mean = round(float(train_set["images"].mean() / 255), 4)
    std = round(float(train_set["images"].std() / 255), 4)
    labels_t = torch.from_numpy(train_set["labels"]).long()
    concepts_t = torch.from_numpy(train_set["concepts"]).float()
    malignant = phantoms.LABELS.index("malignant mass")
    clean_markers = marker_draws(train_set["labels"], 11, lambda _l: CLEAN_MARKER)
    x_clean = normalise(with_markers(train_set["images"], clean_markers), mean, std)
    val_markers = marker_draws(val_set["labels"], 12, lambda _l: TEST_MARKER)
    x_val = normalise(with_markers(val_set["images"], val_markers), mean, std)
    x_val_clean = normalise(val_set["images"], mean, std)
    example = torch.from_numpy(x_val[:1])
    recipe = {"generator": "tools/phantoms.py", "trainImages": SIZES["train"], "trainSeed": SEEDS["train"], "imageSize": phantoms.SIZE}

    def evaluation(model):
        return {"validationAccuracy": round(accuracy(model, x_val_clean, val_set["labels"]), 4),
                "validationAccuracyWithMarkers": round(accuracy(model, x_val, val_set["labels"]), 4),
                "validationImages": SIZES["val"]}

    def publish(model, file, title, description, training, outputs=("logits",), **extra):
        """Scores the trained model, exports it and writes its card beside it."""
        training = {**recipe, **training, "parameters": parameter_count(model), **evaluation(model)}
        print("  ", training, flush=True)
        export(model, os.path.join(models_dir, f"{file}.onnx"), list(outputs), example)
        write_json(os.path.join(models_dir, f"{file}.json"), card(title, description, mean, std, training, **extra))

    if "cnn" in only:
        print("demo CNN", flush=True)
        torch.manual_seed(1)
        model = train(DemoCNN(3), x_clean, [labels_t], cross_entropy, epochs=6, lr=3e-3, log="cnn")
        publish(model, "demo-cnn", "Demo CNN (demonstration — not for clinical use)",
                "A 5-layer CNN that classifies the lesion in a synthetic phantom as cyst, benign nodule or malignant mass.",
                {"markers": f"corner marker on {CLEAN_MARKER:.0%} of images, independent of the label"})

    if "shortcut" in only:
        print("shortcut CNN", flush=True)
        shortcut_markers = marker_draws(train_set["labels"], 13, lambda l: SHORTCUT_MARKER["malignant" if l == malignant else "other"])
        x_shortcut = normalise(with_markers(train_set["images"], shortcut_markers), mean, std)
        torch.manual_seed(2)
        model = train(DemoCNN(3), x_shortcut, [labels_t], cross_entropy, epochs=6, lr=3e-3, log="shortcut")
        publish(model, "demo-cnn-shortcut", "Demo shortcut CNN (demonstration — not for clinical use; deliberately biased)",
                "The demo CNN trained where a corner marker accompanies 95 % of malignant images (the hospital-tag shortcut): explanations should expose it.",
                {"markers": "corner marker on 95 % of malignant and 5 % of other training images", "markerBox": list(phantoms.MARKER_BOX)})

    if "vit" in only:
        print("demo ViT", flush=True)
        torch.manual_seed(3)
        model = train(DemoViT(3, patch=VIT_PATCH, dim=48, depth=3, heads=3), x_clean, [labels_t], cross_entropy, epochs=VIT_EPOCHS, lr=2e-3, log="vit")
        grid = phantoms.SIZE // VIT_PATCH
        publish(model, "demo-vit", "Demo ViT (demonstration — not for clinical use)",
                f"A 3-block vision transformer on {VIT_PATCH}×{VIT_PATCH} patches ({grid}×{grid} of them, plus a class token) with explicit attention.",
                {}, explainer={"tokenLayout": {"classTokens": 1, "grid": [grid, grid]}})

    if "cbm" in only:
        print("concept bottleneck model", flush=True)
        torch.manual_seed(4)
        model = train(ConceptBottleneck(len(phantoms.CONCEPTS), 3), x_clean, [labels_t, concepts_t], concept_bottleneck_loss, epochs=6, lr=3e-3, log="cbm")
        with torch.no_grad():
            predicted = model(torch.from_numpy(x_val_clean))[1].numpy() >= 0.5
        concept_accuracy = {name: round(float((predicted[:, k] == val_set["concepts"][:, k]).mean()), 4) for k, name in enumerate(phantoms.CONCEPTS)}
        publish(model, "demo-cbm", "Demo concept bottleneck model (demonstration — not for clinical use)",
                "Predicts five radiological concepts from the image, then the label from the concepts alone; override a concept to see the label change.",
                {"conceptAccuracy": concept_accuracy}, outputs=("logits", "concepts"),
                concepts={
                    "output": "concepts",
                    "names": phantoms.CONCEPTS,
                    "activation": "none",
                    "description": "Concept probabilities (sigmoid outputs, 0–1); the label head sees only these.",
                    "labelHead": {"path": "demo-cbm-label-head.onnx", "input": "concepts", "output": "logits"},
                })
        head_example = torch.full((1, len(phantoms.CONCEPTS)), 0.5)
        export(model.label_head, os.path.join(models_dir, "demo-cbm-label-head.onnx"), ["logits"], head_example, input_name="concepts")

    if "samples" in only:
        write_samples(os.path.join(args.out, "samples"))
    if "testset" in only:
        write_test_set(os.path.join(args.out, "testset"))


def write_samples(folder):
    """24 sample cases (8 per class; 4 with the corner marker) with masks and a manifest."""
    os.makedirs(folder, exist_ok=True)
    entries = []
    for i in range(24):
        label = i % 3
        marker = i in (2, 5, 7, 10)
        p = phantoms.phantom(SEEDS["samples"] + i, lesion_type=label)
        image = p["image"]
        if marker:
            phantoms.draw_marker(image)
        name = f"sample-{i + 1:02d}"
        save_png(os.path.join(folder, f"{name}.png"), phantoms.to_uint8(image))
        save_png(os.path.join(folder, f"{name}.mask.png"), p["mask"] * 255)
        entries.append({"file": f"{name}.png", "mask": f"{name}.mask.png", "label": phantoms.LABELS[label], "labelIndex": label,
                        "concepts": dict(zip(phantoms.CONCEPTS, p["concepts"])), "marker": marker,
                        "outline": [[round(x, 2), round(y, 2)] for x, y in p["outline"]]})
    write_json(os.path.join(folder, "manifest.json"), {"disclaimer": DISCLAIMER, "labels": phantoms.LABELS, "concepts": phantoms.CONCEPTS,
                                                        "markerBox": list(phantoms.MARKER_BOX), "samples": entries}, rows="samples")
    print(f"  wrote {len(entries)} samples to {folder}")


def write_test_set(folder):
    """The 200-image demo test set: markers on half, independent of the label (the shortcut shows as errors)."""
    os.makedirs(folder, exist_ok=True)
    data = generate("test")
    markers = marker_draws(data["labels"], 14, lambda _l: TEST_MARKER)
    images = with_markers(data["images"], markers)
    entries = []
    for i in range(len(images)):
        name = f"{i:03d}"
        save_png(os.path.join(folder, f"{name}.png"), images[i])
        save_png(os.path.join(folder, f"{name}.mask.png"), data["masks"][i] * 255)
        entries.append({"file": f"{name}.png", "mask": f"{name}.mask.png", "labelIndex": int(data["labels"][i]),
                        "concepts": [int(c) for c in data["concepts"][i]], "marker": bool(markers[i])})
    write_json(os.path.join(folder, "manifest.json"), {"disclaimer": DISCLAIMER, "labels": phantoms.LABELS, "concepts": phantoms.CONCEPTS,
                                                        "markerBox": list(phantoms.MARKER_BOX), "seed": SEEDS["test"], "images": entries}, rows="images")
    print(f"  wrote {len(entries)} test images to {folder}")


if __name__ == "__main__":
    main()

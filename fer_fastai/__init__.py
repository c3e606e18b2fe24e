"""Facial expression recognition (FER-2013) with fastai: data, training recipes, evaluation, colorization

Train, compare and deploy facial expression recognition models on FER-2013 with fastai: read the data in any form, train the published recipes (or from scratch on a CPU), evaluate like a paper, and predict faces in photos with safe model files.

The modules, in the order they import each other: `core` → `synthetic` → `data` → `loaders` → `models` → `colorize` → `runs` → `export` → `train` → `evaluate` → `predict` → `cli` (and `testing`, fixtures only). `fer_fastai.predict` loads no training, colorization or evaluation code.

Modules:

- `fer_fastai.cli`: `fer-fastai`: a thin shell over the library; each command is one small function whose parameters and comments are its options and `--help`.
- `fer_fastai.colorize`: A DeOldify-compatible colorizer (fastai v2 / PyTorch 2 code of our own) that loads DeOldify's released generator weights through `huggingface_hub`, and an optional preprocessing step that trains on colorized FER-2013.
- `fer_fastai.core`: FER-2013's label order and sizes, the in-memory dataset `FERData`, and the errors every module raises.
- `fer_fastai.data`: Read FER-2013 in every form people have it (Kaggle CSV, folders, zips), cache it, choose classes, and write it back out.
- `fer_fastai.demo`: `make_app`: a Gradio app in which a user uploads a photo or takes one with the webcam and sees every face's emotion; `fer-fastai demo` serves it, and the same app runs as a Hugging Face Space.
- `fer_fastai.evaluate`: Paper-style numbers for a model on a labelled split: accuracy, macro and weighted precision/recall/F1, a per-class report, the confusion matrix and the worst mistakes, with or without test-time augmentation; and a table comparing runs.
- `fer_fastai.export`: A trained network with its input pipeline, saved as safetensors weights plus a JSON config: safe to share, pulled from (and pushed to) the Hugging Face Hub, or exported to ONNX.
- `fer_fastai.loaders`: fastai `DataLoaders` for FER data, resized to 160 px with `aug_transforms` on the batch: one entry point, two pipelines (DataBlock, or whole batches cut from tensors for the CPU).
- `fer_fastai.models`: The architectures of the published FER-2013 recipes in one registry, and `fer_learner`, which builds a fastai `Learner` for any of them.
- `fer_fastai.predict`: `Predictor`: load a model once, then predict 48x48 face crops, or the faces found in any photo.
- `fer_fastai.runs`: A `Recipe` holds every choice of a training run (the published ones ship as TOML files); a run folder holds its recipe, progress and results.
- `fer_fastai.synthetic`: Drawn faces with the seven expressions: not FER-2013, but learnable, for CI, demos and quick checks.
- `fer_fastai.testing`: Test fixtures the notebooks and `tests/` share: a Hub cache laid out on disk, DeOldify-style weight files with deterministic values, photos made of FER faces, the memory glibc maps, the command line run as a user runs it, and a full disk.
- `fer_fastai.train`: Staged learning rates, `lr_find`, and runs that survive Ctrl-C: a recipe in, a run folder out.
- `fer_fastai.tune`: `overfit`: can a recipe's network learn at all; `tune`: an Optuna study whose trials are run folders (pruned, resumable, shared by several processes or machines), with its table, best recipe and plots."""

__version__ = "0.0.1"

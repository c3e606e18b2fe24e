"""Facial expression recognition (FER-2013) with fastai: data, training recipes, evaluation, colorization

Modules:

- `fer_fastai.colorize`: A DeOldify-compatible colorizer (fastai v2 / PyTorch 2 code of our own) that loads DeOldify's released generator weights through `huggingface_hub`, and an optional preprocessing step that trains on colorized FER-2013.
- `fer_fastai.evaluate`: Paper-style numbers for a model on a labelled split: accuracy, macro and weighted precision/recall/F1, a per-class report, the confusion matrix and the worst mistakes, with or without test-time augmentation; and a table comparing runs.
- `fer_fastai.export`: A trained network with its input pipeline, saved as safetensors weights plus a JSON config: safe to share, pulled from (and pushed to) the Hugging Face Hub, or exported to ONNX."""

__version__ = "0.0.1"

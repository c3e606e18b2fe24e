"""Facial expression recognition (FER-2013) with fastai: data, training recipes, evaluation, colorization"""

__version__ = "0.0.1"

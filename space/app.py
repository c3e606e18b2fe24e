"fer-fastai's web demo as a Hugging Face Space (Gradio SDK): the model in ./model if there is one, else the one shipped in the package"
from pathlib import Path
from fer_fastai.predict import Predictor
from fer_fastai.demo import make_app

model = Path(__file__).parent/'model'
make_app(Predictor(model if model.is_dir() else None)).launch()

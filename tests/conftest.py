import os

# Keras 3 runs on the torch backend in the parity tests (no TensorFlow needed).
os.environ.setdefault("KERAS_BACKEND", "torch")

"""lstm_core: a pure NumPy LSTM (and GRU, vanilla RNN) that shows its work.

Every forward pass returns a trace of every gate at every timestep; every backward pass returns
the gradients through time, per step. Weights convert losslessly to and from PyTorch, Keras and
the classic tutorial layout. No UI code lives here. Start reading at reference.py: the LSTM
step forward and back, written as the tutorials write it.
"""

from .activations import ACTIVATIONS, Activation, get_activation
from .clipping import clip_by_global_norm, clip_by_value, global_norm
from .gru import GRU, GRUGradients, GRUTrace
from .heads import LinearHead, SoftmaxHead, softmax
from .initializers import INITIALIZER_NAMES
from .lstm import LSTM, LSTMGradients, LSTMStep, LSTMTrace
from .optimizers import SGD, Adam, make_optimizer
from .recurrent import GateWeights, RecurrentLayer
from .rnn import RNN, RNNGradients, RNNTrace
from .stack import Stack, StackTrace, from_torch, layer_class
from .text import CLASSIC_SENTENCE, CLASSIC_VOCABULARY, Vocabulary, next_character_pairs, one_hot
from .training import Model, TrainingEvent, TrainingResult, train

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "Adam",
    "CLASSIC_SENTENCE",
    "CLASSIC_VOCABULARY",
    "GRU",
    "GRUGradients",
    "GRUTrace",
    "GateWeights",
    "INITIALIZER_NAMES",
    "LSTM",
    "LSTMGradients",
    "LSTMStep",
    "LSTMTrace",
    "LinearHead",
    "Model",
    "RNN",
    "RNNGradients",
    "RNNTrace",
    "RecurrentLayer",
    "SGD",
    "SoftmaxHead",
    "Stack",
    "StackTrace",
    "TrainingEvent",
    "TrainingResult",
    "Vocabulary",
    "clip_by_global_norm",
    "clip_by_value",
    "from_torch",
    "get_activation",
    "global_norm",
    "layer_class",
    "make_optimizer",
    "next_character_pairs",
    "one_hot",
    "softmax",
    "train",
]

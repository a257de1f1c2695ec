"""lstm_core: a pure NumPy LSTM (and GRU, vanilla RNN) that shows its work.

Every forward pass returns a trace of every gate at every timestep; every backward pass returns
the gradients through time, per step. Weights convert losslessly to and from PyTorch, Keras and
the classic tutorial layout.
"""

from .lstm import LSTM, LSTMGradients, LSTMTrace

__all__ = ["LSTM", "LSTMGradients", "LSTMTrace"]

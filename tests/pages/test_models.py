"""The Models page with the files students actually have: the common PyTorch char-RNN with an
embedding in front and a safetensors file."""

import io

import numpy as np
import torch
from safetensors.torch import save

from .conftest import open_page


class CharRNN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = torch.nn.Embedding(10, 6)
        self.lstm = torch.nn.LSTM(6, 6, batch_first=True)
        self.fc = torch.nn.Linear(6, 10)


def upload(at, name, data):
    at.get("file_uploader")[0].set_value((name, data, "application/octet-stream")).run()
    assert not at.exception, at.exception
    return " ".join(element.value for element in [*at.caption, *at.success, *at.warning, *at.error])


def test_an_embedding_char_rnn_reads_ten_characters_and_keeps_its_own_head(app):
    torch.manual_seed(0)
    model = CharRNN()
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    at = open_page(app, "models")
    said = upload(at, "char_rnn.pt", buffer.getvalue())
    assert "embedding in front (embedding.weight: 10 tokens × 6 dimensions)" in said
    assert "10 outputs from 6 hidden units" in said  # fc, not the embedding
    assert "needs 10 different characters" not in said  # prefilled from the sidebar's 10 characters
    summary = at.dataframe[0].value
    assert summary["input_size"].tolist() == [10]  # one-hot characters, not 6 embedding dimensions


def test_a_safetensors_file_loads_on_the_page_in_chinese(app):
    app.session_state["lang"] = "zh"
    torch.manual_seed(1)
    at = open_page(app.run(), "models")
    said = upload(at, "model.safetensors", save(CharRNN().state_dict()))
    assert "safetensors" in said and "嵌入层" in said
    assert np.isfinite(at.dataframe[0].value["parameters"]).all()


def test_a_series_classifier_is_drawn_as_class_probabilities_on_every_page(app):
    """The tutorial's LSTMModel: nn.LSTM(1, 64, batch_first=True) + nn.Linear(64, 2), a 2-class task.
    The stepper plots P(class k) per step, not P(class 0) as a "next value", and says the last
    step's decision; every other page still draws."""
    from .conftest import figures

    class LSTMModel(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm, self.fc = torch.nn.LSTM(1, 64, batch_first=True), torch.nn.Linear(64, 2)

    torch.manual_seed(2)
    buffer = io.BytesIO()
    torch.save(LSTMModel().state_dict(), buffer)
    at = open_page(app, "models")
    upload(at, "lstm_model.pt", buffer.getvalue())
    at.button(key="model_use").click().run()
    assert not at.exception
    at = open_page(at, "stepper")
    panels = [f for f in figures(at) if f["layout"].get("meta", {}).get("name") == "lstm-stepper-panels"][0]
    names = [trace.get("name") for trace in panels["data"]]
    assert "P(class 0)" in names and "P(class 1)" in names and "prediction of the next value" not in names
    captions = " ".join(c.value for c in at.caption)
    assert "the model decides at the last step" in captions
    for page in ("home", "cell", "weights", "gradients", "export", "code"):
        open_page(at, page)


def test_an_upper_layer_of_a_stack_says_it_does_not_read_characters_inside_the_stack(app):
    buffer = io.BytesIO()
    torch.save(torch.nn.LSTM(10, 4, num_layers=2).state_dict(), buffer)
    at = open_page(app, "models")
    said = upload(at, "stack.pt", buffer.getvalue())
    assert "layer 1 reads" not in said  # layer 0 is chosen first
    at.selectbox(key="model_layer").set_value(1).run()
    assert any("layer 1 reads layer 0's hidden state" in w.value for w in at.warning)
